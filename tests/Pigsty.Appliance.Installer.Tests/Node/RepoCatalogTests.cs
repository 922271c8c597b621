using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Node;

public sealed class RepoCatalogTests : IDisposable
{
    private readonly TempDirectory _repo = new();

    public void Dispose() => _repo.Dispose();

    private Task<RepoCatalog> LoadAsync(string? manifest)
    {
        _repo.Write("Packages", "Package: postgresql-17\nVersion: 17.12-0+deb13u1\nArchitecture: amd64\n");
        if (manifest is not null)
        {
            _repo.Write("manifest.json", manifest);
        }

        return RepoCatalog.LoadAsync(_repo.Path, CancellationToken.None);
    }

    [Fact]
    public async Task The_platform_is_the_one_the_bundle_manifest_names()
    {
        var repo = await LoadAsync("""{ "format": "pigsty-appliance-bundle/1", "os": "d13", "files": [] }""");

        Assert.Same(TargetPlatform.Debian13, repo.Platform);
        Assert.Equal(("trixie", 17, "Debian GNU/Linux 13 (trixie)"), (repo.Platform.Codename, repo.Platform.PgMajor, repo.Platform.PrettyName));
        Assert.Equal("17.12-0+deb13u1", repo.VersionOf("postgresql-17"));
    }

    [Theory]
    [InlineData("""{ "os": "d11" }""", "os 'd11' is not a target this installer knows (it knows d12 = Debian 12 bookworm, d13 = Debian 13 trixie)")]
    [InlineData("""{ "name": "x" }""", "os '' is not a target")]
    [InlineData("""{ "os": """, "is not valid JSON")]
    public async Task A_manifest_naming_no_known_target_is_an_error_naming_the_file(string manifest, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<ApplianceException>(() => LoadAsync(manifest));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_repo.Path, "manifest.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_without_manifest_is_not_a_bundle()
    {
        var error = await Assert.ThrowsAsync<IntegrityException>(() => LoadAsync(null));

        Assert.Contains("manifest.json does not exist", error.Message, StringComparison.Ordinal);
    }
}

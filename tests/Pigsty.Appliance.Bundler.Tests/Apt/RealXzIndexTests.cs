using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Apt;

/// <summary>The suites that publish only Packages.xz, read from the host's mirror with a cold cache: decoded in-process, then checked
/// against the SHA-256 the signed Release lists for the uncompressed index.</summary>
[Trait(Traits.Category, Traits.Network)]
public sealed class RealXzIndexTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("debian", "bookworm-updates")]
    [InlineData("debian-security", "bookworm-security")]
    public async Task A_real_xz_only_suite_decodes_to_the_index_its_release_lists(string upstream, string suite)
    {
        var source = HostAptSources.Load().ToSource(upstream, suite, "amd64", ["main"]);
        var client = new AptIndexClient(new Downloader(_http, NullLogger<Downloader>.Instance), ProcessRunner.Silent,
            NullLogger<AptIndexClient>.Instance, new AptIndexOptions { CacheDirectory = _temp.File("cache") });

        var index = await client.LoadAsync(source, CancellationToken.None);

        Assert.Contains(index.Release.Files.Keys, k => k == "main/binary-amd64/Packages.xz");
        Assert.DoesNotContain(index.Release.Files.Keys, k => k == "main/binary-amd64/Packages.gz");
        Assert.NotEmpty(index.Packages);
        Assert.Contains(index.Release.Files["main/binary-amd64/Packages"].Sha256, Directory.GetFiles(_temp.File("cache")).Select(Path.GetFileName));
    }
}

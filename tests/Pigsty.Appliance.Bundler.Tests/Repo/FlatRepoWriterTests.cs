using System.IO.Compression;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Repo;

public sealed class FlatRepoWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Packages_matches_the_golden_file()
    {
        var (repo, packages) = SyntheticRepo();

        await SampleRepo.Writer().WriteAsync(repo, packages, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);

        Golden.Assert(await File.ReadAllTextAsync(Path.Combine(repo, "Packages")), "Repo/Golden/Packages");
    }

    [Fact]
    public async Task Release_matches_the_golden_file()
    {
        var options = new RepoOptions { Date = SampleRepo.Time, Description = "Pigsty offline packages" };
        RepoFile[] indexes = [new("Packages", 405, new string('a', 64)), new("Packages.gz", 269, new string('b', 64))];

        var release = ReleaseWriter.Render(options, ["amd64", "all", "amd64"], indexes);

        Golden.Assert(release, "Repo/Golden/Release");
    }

    [Fact]
    public async Task Release_lists_the_indexes_as_written()
    {
        var (repo, packages) = SyntheticRepo();

        await SampleRepo.Writer().WriteAsync(repo, packages, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);

        var release = await File.ReadAllTextAsync(Path.Combine(repo, "Release"));
        foreach (var name in new[] { "Packages", "Packages.gz" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(repo, name));
            Assert.Contains($" {Checksums.Sha256(bytes)} {bytes.Length,16} {name}\n", release, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Packages_gz_decompresses_to_Packages_and_the_result_lists_what_was_written()
    {
        var (repo, packages) = SyntheticRepo();

        var index = await SampleRepo.Writer().WriteAsync(repo, packages, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);

        var plain = await File.ReadAllBytesAsync(Path.Combine(repo, "Packages"));
        await using var gzip = new GZipStream(File.OpenRead(Path.Combine(repo, "Packages.gz")), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await gzip.CopyToAsync(unzipped);
        Assert.Equal(plain, unzipped.ToArray());
        Assert.Equal(["Packages", "Packages.gz", "Release"], index.Files.Select(f => f.Name));
        Assert.Equal(Checksums.Sha256(plain), index.Files[0].Sha256);
        Assert.Equal(2, index.Packages);
        Assert.Null(index.SigningFingerprint);
    }

    [Fact]
    public async Task Rewriting_unsigned_removes_the_marker_and_stale_signatures()
    {
        var (repo, packages) = SyntheticRepo();
        foreach (var stale in new[] { "repo_complete", "InRelease", "Release.gpg", "pigsty.gpg" })
        {
            await File.WriteAllTextAsync(Path.Combine(repo, stale), "old");
        }

        await SampleRepo.Writer().WriteAsync(repo, packages, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);

        Assert.Equal(["Packages", "Packages.gz", "Release", "a_1.0_amd64.deb", "b_2%3a0.1_all.deb"],
            Directory.GetFiles(repo).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_package_missing_from_the_repo_is_named()
    {
        var (repo, packages) = SyntheticRepo();
        File.Delete(Path.Combine(repo, "a_1.0_amd64.deb"));

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            SampleRepo.Writer().WriteAsync(repo, packages, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None));

        Assert.StartsWith("a=1.0/amd64: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("a_1.0_amd64.deb is missing", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repo, "Packages")));
    }

    [Fact]
    public async Task Two_contents_under_one_file_name_are_rejected()
    {
        var (repo, packages) = SyntheticRepo();
        var twin = packages.Single(p => p.Name == "a") with { Sha256 = new string('f', 64) };

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            SampleRepo.Writer().WriteAsync(repo, [.. packages, twin], new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None));

        Assert.StartsWith("a_1.0_amd64.deb: two different contents for one file name", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Two packages with hand-written stanzas (pool paths, MD5sum, SHA1), listed out of order, and their files.</summary>
    private (string Repo, IReadOnlyList<PackageRecord> Packages) SyntheticRepo()
    {
        var repo = _temp.File("pigsty");
        Directory.CreateDirectory(repo);
        var b = Record(repo, "b", "2:0.1", "all", "Depends: a (>= 1.0)\nDescription: package b\n multi-line\n .\n description\n");
        var a = Record(repo, "a", "1.0", "amd64", "Description: package a\n");
        return (repo, [b, a]);
    }

    private static PackageRecord Record(string repo, string name, string version, string architecture, string extra)
    {
        var content = AtomicFile.Utf8.GetBytes($"content of {name}\n");
        var sha256 = Checksums.Sha256(content);
        var pool = $"pool/main/{name}/{name}_{version}_{architecture}.deb";
        var stanza = ControlStanza.ParseAll(new StringReader(
            $"Package: {name}\nVersion: {version}\nArchitecture: {architecture}\nFilename: {pool}\nSize: {content.Length}\n" +
            $"MD5sum: {new string('5', 32)}\nSHA1: {new string('1', 40)}\nSHA256: {sha256}\n{extra}")).Single();
        var record = new PackageRecord(name, version, architecture, pool, content.Length, sha256, DebBuilder.PlaceholderSource, stanza);
        File.WriteAllBytes(Path.Combine(repo, record.DebFileName), content);
        return record;
    }
}

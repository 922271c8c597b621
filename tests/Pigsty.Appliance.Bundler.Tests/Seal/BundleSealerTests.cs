using System.Text.Json;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Seal;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Seal;

public sealed class BundleSealerTests(DebFixture debs) : IClassFixture<DebFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Marker_lists_every_file_and_sha256sum_accepts_it()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        var check = await ProcessRunner.Silent.RunAsync(RealTool.Spec("sha256sum", ["--check", "--strict", "repo_complete"]) with { WorkingDirectory = repo },
            CancellationToken.None);

        var listed = (await File.ReadAllLinesAsync(Path.Combine(repo, "repo_complete"))).Select(l => l[66..]);
        Assert.Equal(Directory.GetFiles(repo).Select(Path.GetFileName).Where(n => n != "repo_complete").Order(StringComparer.Ordinal), listed);
        Assert.Contains("manifest.json", listed);
        Assert.Contains("pigsty-lib_1%3a2.0-1_amd64.deb: OK", check.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hashes_from_fetch_and_index_are_reused_and_only_unknown_files_are_hashed()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);
        var index = await SampleRepo.Writer().WriteAsync(repo, debs.Packages, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);
        var fetched = debs.Packages.Select(p => new RepoFile(p.DebFileName, p.Size, p.Sha256));
        await File.WriteAllTextAsync(Path.Combine(repo, "README"), "an extra file no step vouches for");

        var result = await SampleRepo.Sealer().SealAsync(repo, SampleRepo.Bundle, debs.Packages, [.. fetched, .. index.Files], CancellationToken.None);

        Assert.Equal((7, 1), (result.Reused, result.Hashed));
        Assert.Equal(await Checksums.Sha256FileAsync(Path.Combine(repo, "README"), CancellationToken.None),
            result.Files.Single(f => f.Name == "README").Sha256);
    }

    [Fact]
    public async Task A_vouched_hash_whose_size_no_longer_matches_is_recomputed()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);
        var package = debs.Packages[0];
        await File.AppendAllTextAsync(Path.Combine(repo, package.DebFileName), "grown");

        var result = await SampleRepo.Sealer().SealAsync(repo, SampleRepo.Bundle, debs.Packages,
            [new RepoFile(package.DebFileName, package.Size, package.Sha256)], CancellationToken.None);

        Assert.Equal((0, 4), (result.Reused, result.Hashed));
        Assert.NotEqual(package.Sha256, result.Files.Single(f => f.Name == package.DebFileName).Sha256);
    }

    [Fact]
    public async Task Manifest_records_bundle_metadata_package_sources_and_files()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(repo, "manifest.json")));

        var root = manifest.RootElement;
        Assert.Equal("pigsty-appliance-bundle/1", root.GetProperty("format").GetString());
        Assert.Equal(("pigsty-pkg", "v0.1.0", "d12", "x86_64", "2025-11-21T12:00:00Z"),
            (root.GetProperty("name").GetString(), root.GetProperty("version").GetString(), root.GetProperty("os").GetString(),
             root.GetProperty("architecture").GetString(), root.GetProperty("created").GetString()));
        var lib = root.GetProperty("packages").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pigsty-lib");
        Assert.Equal(("1:2.0-1", "pigsty-lib_1%3a2.0-1_amd64.deb", "fixture", "bookworm", "http://127.0.0.1:9/debian/pool/main/p/pigsty-lib/pigsty-lib_2.0-1_amd64.deb"),
            (lib.GetProperty("version").GetString(), lib.GetProperty("file").GetString(), lib.GetProperty("upstream").GetString(),
             lib.GetProperty("suite").GetString(), lib.GetProperty("url").GetString()));
        var files = root.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(Directory.GetFiles(repo).Select(Path.GetFileName).Where(n => n is not ("manifest.json" or "repo_complete")).Order(StringComparer.Ordinal), files);
    }

    [Fact]
    public async Task A_failed_seal_leaves_no_marker_even_if_an_old_one_was_there()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var gone = debs.Packages[1];
        File.Delete(Path.Combine(repo, gone.DebFileName));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => SampleRepo.ResealAsync(repo, debs));

        Assert.Contains($"{gone.DebFileName} is missing", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repo, "repo_complete")));
    }

    [Fact]
    public async Task Leftover_temp_files_are_removed_and_directories_refused()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        await File.WriteAllTextAsync(Path.Combine(repo, ".Packages.0123abcd.tmp"), "half");

        await SampleRepo.ResealAsync(repo, debs);
        Directory.CreateDirectory(Path.Combine(repo, "pool"));
        var error = await Assert.ThrowsAsync<IntegrityException>(() => SampleRepo.ResealAsync(repo, debs));

        Assert.False(File.Exists(Path.Combine(repo, ".Packages.0123abcd.tmp")));
        Assert.EndsWith("pool: a flat repo holds only regular files", error.Message, StringComparison.Ordinal);
    }

    // The value is passed in: setting SOURCE_DATE_EPOCH for this whole process would change the dpkg-deb and tar runs of tests in parallel.
    [Theory]
    [InlineData("1763726400", 1763726400L)]
    [InlineData("0", 0L)]
    public void Bundle_time_comes_from_SOURCE_DATE_EPOCH(string value, long seconds) =>
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), BundleInfo.TimeFrom(value));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    [InlineData("253402300800")]
    public void A_SOURCE_DATE_EPOCH_that_is_not_whole_seconds_is_a_usage_error(string value) =>
        Assert.Equal($"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got '{value}'", Assert.Throws<UsageException>(() => BundleInfo.TimeFrom(value)).Message);

    [Fact]
    public void Without_SOURCE_DATE_EPOCH_the_bundle_time_is_now_in_whole_seconds()
    {
        var before = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var time = BundleInfo.TimeFrom(null);

        Assert.InRange(time, before, DateTimeOffset.UtcNow);
        Assert.Equal(0, time.Millisecond);
    }

    [Fact]
    public void Bundle_file_stem_follows_Pigsty_naming() =>
        Assert.Equal("pigsty-pkg-v0.1.0.d12.x86_64", SampleRepo.Bundle.FileStem);
}

using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Fetch;

/// <summary>The fetcher against real .deb files on a loopback HTTP server.</summary>
public sealed class PackageFetcherTests(DebFixture debs) : IClassFixture<DebFixture>, IDisposable
{
    private readonly LoopbackHttpServer _server = new();
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task First_run_downloads_every_package_into_the_cache_and_places_it_in_the_repo()
    {
        var packages = debs.ServeFrom(_server);
        var repo = _temp.File("repo");

        var summary = await Fetch(packages, repo);

        Assert.Equal((4, 4, 0, 0), (summary.Packages, summary.Downloaded, summary.CacheHits, summary.CacheRepairs));
        Assert.Equal(packages.Sum(p => p.Size), summary.BytesDownloaded);
        Assert.Equal(summary.BytesTotal, summary.BytesDownloaded);
        Assert.Equal(0, summary.Copied);
        foreach (var package in packages)
        {
            Assert.Equal(debs.Bytes(package), await File.ReadAllBytesAsync(Path.Combine(repo, package.DebFileName)));
            var blob = new PackageCache(Cache).PathFor(package.Sha256);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(blob));
        }

        Assert.Equal(packages.Select(p => (p.DebFileName, p.Size, p.Sha256)).Order(),
            summary.Files.Select(f => (f.Name, f.Size, f.Sha256)));
        Assert.Contains(summary.Files, f => f.Name == "pigsty-lib_1%3a2.0-1_amd64.deb");
    }

    [Fact]
    public async Task Second_run_downloads_nothing()
    {
        var packages = debs.ServeFrom(_server);
        await Fetch(packages, _temp.File("first"));

        var summary = await Fetch(packages, _temp.File("second"));

        Assert.Equal((0, 4, 0L), (summary.Downloaded, summary.CacheHits, summary.BytesDownloaded));
        Assert.All(packages, p => Assert.Equal(1, _server.Hits("/debian/" + p.Filename)));
        Assert.All(packages, p => Assert.Equal(debs.Bytes(p), File.ReadAllBytes(Path.Combine(_temp.File("second"), p.DebFileName))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Downloads_run_in_parallel_up_to_the_configured_limit(int parallelism)
    {
        var packages = debs.ServeFrom(_server);
        var inFlight = 0;
        var most = 0;
        foreach (var package in packages)
        {
            _server.Map("/debian/" + package.Filename, async context =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                // Hold each request until the limit is reached (or 3 s pass), so more parallelism would show.
                for (var waited = 0; Volatile.Read(ref inFlight) < parallelism && waited < 300; waited++)
                {
                    await Task.Delay(10);
                }

                await Task.Delay(50);
                Interlocked.Decrement(ref inFlight);
                await LoopbackHttpServer.Respond(context, 200, debs.Bytes(package));
            });
        }

        await Fetch(packages, _temp.File("repo"), new FetchOptions { CacheDirectory = Cache, Parallelism = parallelism });

        Assert.Equal(parallelism, most);
    }

    [Fact]
    public async Task A_404_names_the_package_and_url_and_leaves_no_partial_file()
    {
        var packages = debs.ServeFrom(_server);
        var missing = packages.Single(p => p.Name == "pigsty-extra");
        _server.Map("/debian/" + missing.Filename, context => LoopbackHttpServer.Respond(context, 404, "gone"u8.ToArray()));
        var repo = _temp.File("repo");

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Fetch(packages, repo));

        Assert.StartsWith("pigsty-extra=3.0-1/amd64: GET ", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing.Url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        AssertNothingPartial(repo);
        Assert.False(File.Exists(new PackageCache(Cache).PathFor(missing.Sha256)));
        Assert.False(File.Exists(Path.Combine(repo, missing.DebFileName)));
    }

    [Fact]
    public async Task A_hash_mismatch_names_the_package_and_keeps_nothing_of_it()
    {
        var packages = debs.ServeFrom(_server);
        var evil = packages.Single(p => p.Name == "pigsty-lib");
        var tampered = debs.Bytes(evil).ToArray();
        tampered[^1] ^= 0xff;
        _server.MapBytes("/debian/" + evil.Filename, tampered);
        var repo = _temp.File("repo");

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Fetch(packages, repo));

        Assert.StartsWith($"pigsty-lib=1:2.0-1/amd64: SHA-256 of {evil.Url}", error.Message, StringComparison.Ordinal);
        AssertNothingPartial(repo);
        Assert.False(File.Exists(new PackageCache(Cache).PathFor(evil.Sha256)));
        Assert.False(File.Exists(Path.Combine(repo, evil.DebFileName)));
    }

    [Fact]
    public async Task A_corrupted_cache_entry_is_downloaded_again_and_never_placed()
    {
        var packages = debs.ServeFrom(_server);
        var repo = _temp.File("repo");
        await Fetch(packages, repo);
        var victim = packages.Single(p => p.Name == "pigsty-data");
        var blob = new PackageCache(Cache).PathFor(victim.Sha256);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[100] ^= 0x01;
        await File.WriteAllBytesAsync(blob, bytes); // same size: only the full hash can tell

        var summary = await Fetch(packages, repo);

        Assert.Equal((1, 1, 3), (summary.CacheRepairs, summary.Downloaded, summary.CacheHits));
        Assert.Equal(2, _server.Hits("/debian/" + victim.Filename));
        Assert.Equal(debs.Bytes(victim), await File.ReadAllBytesAsync(Path.Combine(repo, victim.DebFileName)));
        Assert.Equal(debs.Bytes(victim), await File.ReadAllBytesAsync(blob));
    }

    [Fact]
    public async Task Progress_reports_bytes_and_one_completion_per_package()
    {
        var packages = debs.ServeFrom(_server);
        var cold = new RecordingProgress<FetchProgress>();
        var warm = new RecordingProgress<FetchProgress>();

        await Fetch(packages, _temp.File("a"), progress: cold);
        await Fetch(packages, _temp.File("b"), progress: warm);

        var total = packages.Sum(p => p.Size);
        var coldDone = cold.Reports.Where(r => r.Stage == FetchStage.Downloaded).ToList();
        Assert.Equal(packages.Select(p => p.Name).Order(), coldDone.Select(r => r.Package.Name).Order());
        Assert.All(packages, p => Assert.Equal(p.Size, cold.Reports.Last(r => r.Package == p && r.Stage == FetchStage.Downloading).PackageBytes));
        Assert.Equal((4, 4, total, total), (coldDone.Max(r => r.PackagesDone), coldDone[^1].PackagesTotal, cold.Reports.Max(r => r.BytesDone), cold.Reports[^1].BytesTotal));
        Assert.All(warm.Reports, r => Assert.Equal(FetchStage.CacheHit, r.Stage));
        Assert.Equal(total, warm.Reports.Max(r => r.BytesDone));
    }

    [Fact]
    public async Task The_repo_ends_up_holding_exactly_the_list_and_loses_its_marker()
    {
        var packages = debs.ServeFrom(_server);
        var repo = Directory.CreateDirectory(_temp.File("repo")).FullName;
        foreach (var stale in new[] { "old_1.0_all.deb", ".pigsty-app_1.0-1_amd64.deb.0123.tmp", "repo_complete" })
        {
            await File.WriteAllTextAsync(Path.Combine(repo, stale), "stale");
        }

        await File.WriteAllTextAsync(Path.Combine(repo, "Packages"), "kept for the index writer to replace");

        await Fetch(packages, repo);

        Assert.Equal(packages.Select(p => p.DebFileName).Append("Packages").Order(StringComparer.Ordinal),
            Directory.GetFiles(repo).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancelling_stops_the_downloads_and_leaves_no_partial_file()
    {
        var packages = debs.ServeFrom(_server);
        var slow = packages.Single(p => p.Name == "pigsty-extra");
        _server.Map("/debian/" + slow.Filename, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentLength64 = slow.Size;
            await context.Response.OutputStream.WriteAsync(debs.Bytes(slow).AsMemory(0, 1000));
            await Task.Delay(TimeSpan.FromSeconds(10));
            context.Response.Abort();
        });
        var repo = _temp.File("repo");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Fetch(packages, repo, cancellationToken: cancel.Token));

        AssertNothingPartial(repo);
        Assert.False(File.Exists(new PackageCache(Cache).PathFor(slow.Sha256)));
    }

    [Fact]
    public void Placement_hard_links_when_it_can_and_copies_otherwise()
    {
        var source = _temp.Write("source", "one");
        var linked = _temp.File("linked");
        var copied = _temp.File("copied");

        Assert.True(FilePlacement.Place(source, linked));
        Assert.False(FilePlacement.Place(source, copied, allowLink: false));
        File.WriteAllText(source, "two"); // in place: a hard link shares it, a copy does not

        Assert.Equal("two", File.ReadAllText(linked));
        Assert.Equal("one", File.ReadAllText(copied));
    }

    [Fact]
    public void The_default_cache_follows_XDG_CACHE_HOME() =>
        Assert.Equal(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
                ? Path.Combine(xdg, "pigsty-appliance")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pigsty-appliance"),
            new FetchOptions().CacheDirectory);

    private string Cache => _temp.File("cache");

    private Task<FetchSummary> Fetch(IReadOnlyList<PackageRecord> packages, string repo, FetchOptions? options = null,
        IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var downloader = new Downloader(_http, NullLogger<Downloader>.Instance,
            new DownloadOptions { Attempts = 2, FirstBackoff = TimeSpan.FromMilliseconds(10) });
        var fetcher = new PackageFetcher(downloader, NullLogger<PackageFetcher>.Instance);
        return fetcher.FetchAsync(packages, repo, options ?? new FetchOptions { CacheDirectory = Cache }, progress, cancellationToken);
    }

    private void AssertNothingPartial(string repo)
    {
        var leftovers = new[] { Cache, repo }.Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => Path.GetFileName(f).StartsWith('.'));
        Assert.Empty(leftovers);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>The real bookworm suites from the host's mirror, read once per test class: as our universe, and as a clean apt root.</summary>
public sealed class RealArchive : IAsyncLifetime
{
    private static readonly string[] Suites = ["bookworm", "bookworm-updates", "bookworm-security"];

    private readonly TempDirectory _aptRoot = new();
    private readonly HttpClient _http = new();
    private CleanAptRoot _apt = null!;

    /// <summary>The three suites as read.</summary>
    public IReadOnlyList<AptIndex> Indexes { get; private set; } = [];

    /// <summary>Every package of the three suites.</summary>
    public PackageUniverse Universe { get; private set; } = null!;

    /// <summary>How long loading and indexing took, for the test output.</summary>
    public string LoadReport { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var host = HostAptSources.Load();
        var sources = Suites.Select(suite => host.ToSource(suite == "bookworm-security" ? "debian-security" : "debian", suite, "amd64", ["main"])).ToList();

        // Index files are kept by SHA-256 and re-verified on use, so a cache shared between runs cannot go stale.
        var cache = Path.Combine(Path.GetTempPath(), "pigsty-appliance-test-index-cache");
        var client = new AptIndexClient(new Downloader(_http, NullLogger<Downloader>.Instance), ProcessRunner.Silent,
            NullLogger<AptIndexClient>.Instance, new AptIndexOptions { CacheDirectory = cache });
        var clock = Stopwatch.StartNew();
        var indexes = Indexes = await client.LoadAllAsync(sources, CancellationToken.None);
        var loadTime = clock.Elapsed;
        clock.Restart();
        Universe = new PackageUniverse(indexes.SelectMany(i => i.Lists));
        LoadReport = $"indexes loaded in {loadTime.TotalMilliseconds:0} ms (parse: " +
                     $"{string.Join(", ", indexes.Select(i => $"{i.Source.Suite} {i.Packages.Count} pkgs {i.ParseTime.TotalMilliseconds:0} ms"))}); " +
                     $"universe of {Universe.Count} built in {clock.Elapsed.TotalMilliseconds:0} ms";
        await PrepareAptRootAsync(sources);
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        _aptRoot.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>name → version of every package <c>apt-get install -s</c> would install into the empty root.</summary>
    public async Task<IReadOnlyDictionary<string, string>> AptSimulateAsync(IReadOnlyList<string> packages)
    {
        var result = await _apt.SimulateInstallAsync(packages, CancellationToken.None);
        Assert.True(result.Succeeded, result.StandardError);
        return CleanAptRoot.Installs(result.StandardOutput);
    }

    /// <summary>Stock apt in a root of its own (empty dpkg status, own lists), with the same mirror suites as its only sources.</summary>
    private async Task PrepareAptRootAsync(IReadOnlyList<AptSource> sources)
    {
        var lines = sources.Select(s => $"deb [signed-by={s.Keyring}] {s.BaseUri} {s.Suite} {string.Join(' ', s.Components)}");
        _apt = CleanAptRoot.Create(ProcessRunner.Silent, _aptRoot.Path, lines);
        var update = await _apt.UpdateAsync(CancellationToken.None);
        Assert.True(update.Succeeded, update.StandardError);
    }
}

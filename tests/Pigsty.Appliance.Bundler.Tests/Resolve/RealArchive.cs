using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>The real bookworm suites from the host's mirror, read once per test class: as our universe, and as a clean apt root.</summary>
public sealed partial class RealArchive : IAsyncLifetime
{
    private static readonly string[] Suites = ["bookworm", "bookworm-updates", "bookworm-security"];

    private readonly TempDirectory _aptRoot = new();
    private readonly HttpClient _http = new();
    private string[] _aptOptions = [];

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
        var indexes = await client.LoadAllAsync(sources, CancellationToken.None);
        var loadTime = clock.Elapsed;
        clock.Restart();
        Universe = new PackageUniverse(indexes.SelectMany(i => i.Packages));
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
        var result = await ProcessRunner.Silent.RunAsync(new ProcessSpec("apt-get", [.. _aptOptions, "-s", "install", .. packages])
        {
            Timeout = TimeSpan.FromMinutes(2),
        }, CancellationToken.None);
        return result.StandardOutput.Split('\n')
            .Select(line => InstLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
    }

    /// <summary>Stock apt in a root of its own (empty dpkg status, own lists), with the same mirror suites as its only sources.</summary>
    private async Task PrepareAptRootAsync(IReadOnlyList<AptSource> sources)
    {
        var root = _aptRoot.Path;
        foreach (var directory in new[] { "etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "var/lib/apt/lists/partial",
                     "var/cache/apt/archives/partial", "var/lib/dpkg", "var/log/apt" })
        {
            Directory.CreateDirectory(Path.Combine(root, directory));
        }

        await File.WriteAllTextAsync(Path.Combine(root, "var/lib/dpkg/status"), "");
        var lines = sources.Select(s => $"deb [signed-by={s.Keyring}] {s.BaseUri} {s.Suite} {string.Join(' ', s.Components)}");
        await File.WriteAllTextAsync(Path.Combine(root, "etc/apt/sources.list"), string.Join('\n', lines) + "\n");
        _aptOptions =
        [
            "-o", $"Dir={root}", "-o", $"Dir::State::status={root}/var/lib/dpkg/status", "-o", "APT::Architecture=amd64",
            "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1", "-o", "APT::Install-Recommends=0",
            "-o", $"Dir::Etc::trusted={root}/etc/apt/trusted.gpg", "-o", "Acquire::Languages=none",
        ];
        await ProcessRunner.Silent.RunAsync(new ProcessSpec("apt-get", [.. _aptOptions, "-qq", "update"]) { Timeout = TimeSpan.FromMinutes(5) },
            CancellationToken.None);
    }

    [GeneratedRegex(@"^Inst (\S+) (?:\[\S+\] )?\((\S+) ")]
    private static partial Regex InstLine();
}

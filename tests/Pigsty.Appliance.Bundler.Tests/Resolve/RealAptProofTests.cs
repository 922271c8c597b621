using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>Our closure against stock apt, both reading the real bookworm suites from the host's configured mirror.</summary>
[Trait(Traits.Category, Traits.Network)]
[Trait(Traits.Category, Traits.Slow)]
public sealed partial class RealAptProofTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The Debian-available component packages of Pigsty's pipeline (shared/bench/pigsty-pipeline.sh).</summary>
    private static readonly string[] PigstyComponents =
    [
        "postgresql-15", "postgresql-client-15", "postgresql-contrib", "patroni", "python3-etcd", "pgbouncer", "haproxy",
        "pgbackrest", "etcd-server", "etcd-client", "nginx", "victoria-metrics", "prometheus-alertmanager",
        "prometheus-blackbox-exporter", "prometheus-node-exporter", "prometheus-postgres-exporter",
        "prometheus-pgbouncer-exporter", "dnsmasq", "chrony", "vip-manager", "keepalived",
    ];

    private static readonly string[] Suites = ["bookworm", "bookworm-updates", "bookworm-security"];

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Pigsty_components_resolve_to_a_superset_of_what_apt_installs()
    {
        var universe = await LoadUniverseAsync();

        var clock = Stopwatch.StartNew();
        var ours = Resolver.Resolve(universe, ResolveRequest.For(PigstyComponents) with { IncludeRequiredBase = false });
        var resolveTime = clock.Elapsed;
        var withBase = Resolver.Resolve(universe, ResolveRequest.For(PigstyComponents));
        var apt = await AptSimulateAsync(PigstyComponents);

        output.WriteLine($"resolve (21 packages, no base): {resolveTime.TotalMilliseconds:0} ms; selection {ours.Count}; with required base {withBase.Count}");
        output.WriteLine($"apt-get install -s from an empty root: {apt.Count}; Pigsty's pipeline (apt-cache depends --recurse): 244");
        foreach (var note in ours.Notes)
        {
            output.WriteLine($"note: {note}");
        }

        AssertCovers(ours, apt);
        foreach (var extra in ours.Packages.Where(p => !apt.ContainsKey(p.Name)))
        {
            output.WriteLine($"ours only: {extra.Record} ← {extra.Why}");
        }

        Assert.True(ours.Count <= 244, $"our closure ({ours.Count}) must not be larger than Pigsty's (244)");
        Assert.True(withBase.Count > ours.Count, "the required base adds packages");
    }

    [Fact]
    public async Task Pgbouncer_alone_resolves_to_a_superset_of_what_apt_installs()
    {
        var universe = await LoadUniverseAsync();

        var ours = Resolver.Resolve(universe, ResolveRequest.For("pgbouncer") with { IncludeRequiredBase = false });
        var apt = await AptSimulateAsync(["pgbouncer"]);

        output.WriteLine($"pgbouncer: ours {ours.Count}, apt {apt.Count}: {string.Join(' ', ours.Packages.Select(p => p.Name))}");
        AssertCovers(ours, apt);
        Assert.Equal(["pgbouncer"], ours.Find("libevent-2.1-7")!.Chain.Take(1));
    }

    [Fact]
    public async Task The_required_base_with_apt_covers_what_apt_installs_for_it()
    {
        var universe = await LoadUniverseAsync();

        var ours = Resolver.Resolve(universe, ResolveRequest.For("apt"));
        var baseNames = universe.RequiredBase().Select(p => p.Name).Append("apt").ToList();
        var apt = await AptSimulateAsync(baseNames);

        output.WriteLine($"required base + apt: ours {ours.Count}, apt {apt.Count} ({baseNames.Count} requested)");
        AssertCovers(ours, apt);
    }

    private static void AssertCovers(Resolution ours, IReadOnlyDictionary<string, string> apt)
    {
        var missing = apt.Where(a => ours.Find(a.Key)?.Record.Version != a.Value)
            .Select(a => $"{a.Key}={a.Value} (ours: {ours.Find(a.Key)?.Record.Version ?? "absent"})")
            .ToList();
        Assert.True(missing.Count == 0, "apt installs packages our selection lacks: " + string.Join(", ", missing));
    }

    private async Task<PackageUniverse> LoadUniverseAsync()
    {
        var host = HostAptSources.Load();
        var sources = Suites.Select(suite => host.ToSource(suite == "bookworm-security" ? "debian-security" : "debian", suite, "amd64", ["main"])).ToList();
        var cache = Path.Combine(Path.GetTempPath(), "pigsty-appliance-test-index-cache");
        var client = new AptIndexClient(new Downloader(_http, NullLogger<Downloader>.Instance), ProcessRunner.Silent,
            NullLogger<AptIndexClient>.Instance, new AptIndexOptions { CacheDirectory = cache });

        var clock = Stopwatch.StartNew();
        var indexes = await client.LoadAllAsync(sources, CancellationToken.None);
        var loadTime = clock.Elapsed;
        clock.Restart();
        var universe = new PackageUniverse(indexes.SelectMany(i => i.Packages));
        output.WriteLine($"indexes loaded in {loadTime.TotalMilliseconds:0} ms (parse: " +
                         $"{string.Join(", ", indexes.Select(i => $"{i.Source.Suite} {i.Packages.Count} pkgs {i.ParseTime.TotalMilliseconds:0} ms"))}); " +
                         $"universe of {universe.Count} built in {clock.Elapsed.TotalMilliseconds:0} ms");
        return universe;
    }

    /// <summary>Stock apt in a root of its own (empty dpkg status, own lists), with the same mirror suites as its only sources.</summary>
    private async Task<IReadOnlyDictionary<string, string>> AptSimulateAsync(IReadOnlyList<string> packages)
    {
        var root = _temp.Path;
        foreach (var directory in new[] { "etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "var/lib/apt/lists/partial",
                     "var/cache/apt/archives/partial", "var/lib/dpkg", "var/log/apt" })
        {
            Directory.CreateDirectory(Path.Combine(root, directory));
        }

        await File.WriteAllTextAsync(Path.Combine(root, "var/lib/dpkg/status"), "");
        var host = HostAptSources.Load();
        var lines = Suites.Select(suite =>
        {
            var source = host.ToSource("debian", suite, "amd64", ["main"]);
            return $"deb [signed-by={source.Keyring}] {source.BaseUri} {suite} main";
        });
        await File.WriteAllTextAsync(Path.Combine(root, "etc/apt/sources.list"), string.Join('\n', lines) + "\n");
        string[] options =
        [
            "-o", $"Dir={root}", "-o", $"Dir::State::status={root}/var/lib/dpkg/status", "-o", "APT::Architecture=amd64",
            "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1", "-o", "APT::Install-Recommends=0",
            "-o", $"Dir::Etc::trusted={root}/etc/apt/trusted.gpg", "-o", "Acquire::Languages=none",
        ];
        await ProcessRunner.Silent.RunAsync(new ProcessSpec("apt-get", [.. options, "-qq", "update"]) { Timeout = TimeSpan.FromMinutes(5) },
            CancellationToken.None);
        var result = await ProcessRunner.Silent.RunAsync(new ProcessSpec("apt-get", [.. options, "-s", "install", .. packages])
        {
            Timeout = TimeSpan.FromMinutes(2),
        }, CancellationToken.None);
        return result.StandardOutput.Split('\n')
            .Select(line => InstLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^Inst (\S+) (?:\[\S+\] )?\((\S+) ")]
    private static partial Regex InstLine();
}

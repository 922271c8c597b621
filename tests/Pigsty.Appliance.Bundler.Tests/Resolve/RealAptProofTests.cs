using System.Diagnostics;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>Our closure against stock apt, both reading the real bookworm suites from the host's configured mirror.</summary>
[Trait(Traits.Category, Traits.Network)]
[Trait(Traits.Category, Traits.Slow)]
public sealed class RealAptProofTests(RealArchive archive, ITestOutputHelper output) : IClassFixture<RealArchive>
{
    /// <summary>The Debian-available component packages of Pigsty's pipeline (shared/bench/pigsty-pipeline.sh).</summary>
    private static readonly string[] PigstyComponents =
    [
        "postgresql-15", "postgresql-client-15", "postgresql-contrib", "patroni", "python3-etcd", "pgbouncer", "haproxy",
        "pgbackrest", "etcd-server", "etcd-client", "nginx", "victoria-metrics", "prometheus-alertmanager",
        "prometheus-blackbox-exporter", "prometheus-node-exporter", "prometheus-postgres-exporter",
        "prometheus-pgbouncer-exporter", "dnsmasq", "chrony", "vip-manager", "keepalived",
    ];

    /// <summary>What Pigsty's own pipeline (apt-cache depends --recurse) downloads for those packages.</summary>
    private const int PigstyClosure = 244;

    [Fact]
    public async Task Pigsty_components_resolve_to_a_superset_of_what_apt_installs()
    {
        var clock = Stopwatch.StartNew();
        var ours = Resolver.Resolve(archive.Universe, ResolveRequest.For(PigstyComponents) with { IncludeRequiredBase = false });
        var resolveTime = clock.Elapsed;
        var withBase = Resolver.Resolve(archive.Universe, ResolveRequest.For(PigstyComponents));
        var apt = await archive.AptSimulateAsync(PigstyComponents);

        output.WriteLine(archive.LoadReport);
        output.WriteLine($"resolve (21 packages, no base): {resolveTime.TotalMilliseconds:0} ms; selection {ours.Count}; with required base {withBase.Count}");
        output.WriteLine($"apt-get install -s from an empty root: {apt.Count}; Pigsty's pipeline: {PigstyClosure}");
        foreach (var note in ours.Notes)
        {
            output.WriteLine($"note: {note}");
        }

        foreach (var extra in ours.Packages.Where(p => !apt.ContainsKey(p.Name)))
        {
            output.WriteLine($"ours only: {extra.Entry} ← {extra.Why}");
        }

        AssertCovers(ours, apt);
        Assert.True(ours.Count <= PigstyClosure, $"our closure ({ours.Count}) must not be larger than Pigsty's ({PigstyClosure})");
        Assert.True(withBase.Count > ours.Count, "the required base adds packages");
    }

    [Fact]
    public async Task Pgbouncer_alone_resolves_to_a_superset_of_what_apt_installs()
    {
        var ours = Resolver.Resolve(archive.Universe, ResolveRequest.For("pgbouncer") with { IncludeRequiredBase = false });
        var apt = await archive.AptSimulateAsync(["pgbouncer"]);

        output.WriteLine($"pgbouncer: ours {ours.Count}, apt {apt.Count}: {string.Join(' ', ours.Packages.Select(p => p.Name))}");
        AssertCovers(ours, apt);
        Assert.Equal(["pgbouncer", "libevent-2.1-7"], ours.Find("libevent-2.1-7")!.Chain);
    }

    [Fact]
    public async Task The_required_base_with_apt_covers_what_apt_installs_for_it()
    {
        var ours = Resolver.Resolve(archive.Universe, ResolveRequest.For("apt"));
        var baseNames = archive.Universe.RequiredBase().Select(p => p.Name).Append("apt").ToList();
        var apt = await archive.AptSimulateAsync(baseNames);

        output.WriteLine($"required base + apt: ours {ours.Count}, apt {apt.Count} ({baseNames.Count} requested)");
        AssertCovers(ours, apt);
    }

    private static void AssertCovers(Resolution ours, IReadOnlyDictionary<string, string> apt)
    {
        Assert.NotEmpty(apt);
        var missing = apt.Where(a => ours.Find(a.Key)?.Entry.Version != a.Value)
            .Select(a => $"{a.Key}={a.Value} (ours: {ours.Find(a.Key)?.Entry.Version ?? "absent"})")
            .ToList();
        Assert.True(missing.Count == 0, "apt installs packages our selection lacks: " + string.Join(", ", missing));
    }
}

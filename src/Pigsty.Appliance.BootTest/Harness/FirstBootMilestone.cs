using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>First-boot progress recognised on the serial console, by the pieces the installer's status lines are made of.</summary>
public static class FirstBootMilestone
{
    /// <summary>The modules first boot installs, in order; each has a milestone when it starts.</summary>
    public static readonly IReadOnlyList<string> Modules = ["NODE", "INFRA", "ETCD", "MINIO", "PGSQL"];

    /// <summary>Milestone name (as the report names it) → how its status line starts (see <see cref="FirstBootConsole"/>).</summary>
    public static readonly IReadOnlyList<(string Name, string Start)> Known =
    [
        ("firstboot-start", FirstBootConsole.VerifyingBundleStart),
        ("bundle-verified", FirstBootConsole.BundleVerifiedStart),
        ("seed-valid", FirstBootConsole.SeedStart),
        ("planned", FirstBootConsole.PlanStart),
        .. Modules.Select(m => (m.ToLowerInvariant(), FirstBootConsole.ModuleStartedStart(m))),
        ("minio-skipped", FirstBootConsole.ModuleSkippedStart("MINIO")),
        ("done", FirstBootConsole.DoneStart),
        ("failed", FirstBootConsole.FailedStart),
    ];

    /// <summary>The milestone a console line marks, or null.</summary>
    public static string? Of(string line) =>
        FirstBootConsole.MessageOf(line) is { } message ? Known.FirstOrDefault(k => message.StartsWith(k.Start, StringComparison.Ordinal)).Name : null;
}

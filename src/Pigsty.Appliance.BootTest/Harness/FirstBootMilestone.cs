using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>First-boot progress recognised on the serial console, by the pieces the installer's status lines are made of; module milestones come from the registry.</summary>
public static class FirstBootMilestone
{
    /// <summary>Milestone name (as the report names it) → how its status line starts (see <see cref="FirstBootConsole"/>).</summary>
    public static readonly IReadOnlyList<(string Name, string Start)> Known =
    [
        ("firstboot-start", FirstBootConsole.VerifyingBundleStart),
        ("bundle-verified", FirstBootConsole.BundleVerifiedStart),
        ("seed-valid", FirstBootConsole.SeedStart),
        ("planned", FirstBootConsole.PlanStart),
        .. InstallModules.Milestones.Select(m => (m.Name, m.Start)),
        ("done", FirstBootConsole.DoneStart),
        ("failed", FirstBootConsole.FailedStart),
    ];

    /// <summary>The milestone a console line marks, or null.</summary>
    public static string? Of(string line) =>
        FirstBootConsole.MessageOf(line) is { } message ? Known.FirstOrDefault(k => message.StartsWith(k.Start, StringComparison.Ordinal)).Name : null;
}

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>A module's ordered steps on this node, or why it is skipped (shown in the plan and the status, never faked).</summary>
/// <param name="Notes">Visible remarks, e.g. components of the module skipped because the bundle lacks them.</param>
public sealed record ModulePlan(string Module, IReadOnlyList<Step> Steps, string? SkipReason, IReadOnlyList<string> Notes)
{
    /// <summary>A module that runs these steps, with optional notes.</summary>
    public static ModulePlan Run(string module, IReadOnlyList<Step> steps, params IReadOnlyList<string> notes) => new(module, steps, null, notes);

    /// <summary>A module that is skipped, with the reason a person reads.</summary>
    public static ModulePlan Skip(string module, string reason) => new(module, [], reason, []);

    public bool Skipped => SkipReason is not null;
}

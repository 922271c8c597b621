namespace Pigsty.Appliance.Installer.Engine;

/// <summary>A module's ordered steps on this node, or why it is skipped (shown in the plan and the status, never faked).</summary>
public sealed record ModulePlan(string Module, IReadOnlyList<Step> Steps, string? SkipReason)
{
    /// <summary>A module that runs these steps.</summary>
    public static ModulePlan Run(string module, IReadOnlyList<Step> steps) => new(module, steps, null);

    /// <summary>A module that is skipped, with the reason a person reads.</summary>
    public static ModulePlan Skip(string module, string reason) => new(module, [], reason);

    public bool Skipped => SkipReason is not null;
}

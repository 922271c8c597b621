namespace Pigsty.Appliance.Installer.Engine;

/// <summary>The journal entry of one step: outcome, when, how long, and the reason when it failed.</summary>
public sealed record StepRecord(string Id, string Module, StepOutcome Outcome, DateTimeOffset Finished, double Seconds, string? Error)
{
    /// <summary>When the step started (its check), after everything it depends on had settled.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>The dependency whose settling let the step run (the last one to settle), or null when it depended on nothing.</summary>
    public string? WaitedFor { get; init; }

    /// <summary>The readiness waits inside the step.</summary>
    public IReadOnlyList<StepWait> Waits { get; init; } = [];

    /// <summary>What the step said for people, e.g. how many of its packages were installed already.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>The journal entry of one step: outcome, when, how long, and the reason when it failed.</summary>
public sealed record StepRecord(string Id, string Module, StepOutcome Outcome, DateTimeOffset Finished, double Seconds, string? Error);

namespace Pigsty.Appliance.Core.Pipelines;

/// <summary>How long one pipeline step took.</summary>
public sealed record StepTiming(string Name, TimeSpan Elapsed);

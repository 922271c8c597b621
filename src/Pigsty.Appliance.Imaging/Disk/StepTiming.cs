namespace Pigsty.Appliance.Imaging.Disk;

/// <summary>How long one named build step took.</summary>
public sealed record StepTiming(string Step, TimeSpan Elapsed);

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>The accelerator a probe chose and why.</summary>
public sealed record AcceleratorProbeResult(Accelerator Accelerator, string Reason, TimeSpan Took);

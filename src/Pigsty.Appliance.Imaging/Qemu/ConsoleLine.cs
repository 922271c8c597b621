namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>A line of the serial console and when it arrived, counted from QEMU's start.</summary>
public sealed record ConsoleLine(TimeSpan Elapsed, string Text);

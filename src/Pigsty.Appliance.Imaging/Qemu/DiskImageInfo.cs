namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>What qemu-img says about an image: its format, the disk size the guest sees, and the bytes it takes on the host.</summary>
public sealed record DiskImageInfo(string Format, long VirtualSizeBytes, long ActualSizeBytes);

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>The disk the image goes onto, and a line for each disk left out and why (<c>vdc (…): the medium the installer booted from</c>).</summary>
public sealed record DiskChoice(BlockDisk Disk, IReadOnlyList<string> Notes);

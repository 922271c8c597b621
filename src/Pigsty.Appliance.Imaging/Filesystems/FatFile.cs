namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>A host file to copy into a FAT filesystem, e.g. <c>EFI/BOOT/BOOTX64.EFI</c>.</summary>
/// <param name="TargetPath">Path inside the filesystem, '/'-separated, without a leading '/'.</param>
/// <param name="SourcePath">The host file to copy.</param>
public sealed record FatFile(string TargetPath, string SourcePath);

using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Disk;

/// <summary>What bootable disk to build from a root filesystem tree: where, how big, and the identities it carries.</summary>
/// <param name="ImagePath">The raw image to create; it appears only when complete.</param>
/// <param name="DiskSizeBytes">Total disk size; the root partition takes what the ESP and BIOS boot partition leave.</param>
/// <param name="RootDirectory">The root filesystem tree (owners and modes as they must be on disk), with a kernel and initrd.</param>
/// <param name="RootFilesystemUuid">UUID of the root ext4, which the tree's /etc/fstab and the kernel command line name.</param>
public sealed record BootableDiskOptions(string ImagePath, long DiskSizeBytes, string RootDirectory, Guid RootFilesystemUuid)
{
    /// <summary>Source of the disk and partition GUIDs and the ESP's volume ID; seeded for reproducible builds.</summary>
    public GuidSource Guids { get; init; } = GuidSource.Random;

    /// <summary>Timestamp for filesystems and GRUB's memdisk (SOURCE_DATE_EPOCH); null for now.</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>Size of the EFI system partition (FAT32 needs at least about 33 MiB).</summary>
    public long EspSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Size of the BIOS boot partition holding GRUB's core image.</summary>
    public long BiosBootSizeBytes { get; init; } = 1024 * 1024;

    /// <summary>The kernel's console arguments; the last one becomes /dev/console.</summary>
    public string ConsoleArguments { get; init; } = KernelCommandLine.Consoles;

    /// <summary>Kernel parameters after root=, ro and the consoles; null for none.</summary>
    public string? ExtraKernelParameters { get; init; }

    /// <summary>GRUB menu title.</summary>
    public string MenuTitle { get; init; } = "Pigsty Appliance";

    /// <summary>Seconds GRUB shows its menu.</summary>
    public int GrubTimeoutSeconds { get; init; } = 1;

    /// <summary>ext4 volume label of the root filesystem.</summary>
    public string RootLabel { get; init; } = "pigsty-root";
}

namespace Pigsty.Appliance.Core.Contract;

/// <summary>
/// The installer medium (the hybrid ISO): what the Iso target puts on it and what its live system's <c>install-disk</c> reads.
/// Paths are relative to the medium's root.
/// </summary>
public static class InstallMedium
{
    /// <summary>The ISO 9660 volume id: the live system finds its medium by this label (never PIGSTY or CIDATA, the seed labels).</summary>
    public const string VolumeId = "PIGSTY_INSTALL";

    /// <summary>The live system's kernel.</summary>
    public const string Kernel = "live/vmlinuz";

    /// <summary>The live system itself: a whole root filesystem as a zstd-compressed initramfs.</summary>
    public const string Initrd = "live/initrd.zst";

    /// <summary>What the medium carries: the image's name, size and SHA-256, and its compressed file's name and SHA-256.</summary>
    public const string Manifest = "pigsty/image.json";

    /// <summary>Where the live system mounts its medium.</summary>
    public const string MountPoint = "/run/pigsty/medium";

    /// <summary>Where the live system mounts the installed root filesystem to carry the seed onto it.</summary>
    public const string TargetMountPoint = "/run/pigsty/target";

    /// <summary>The line the live system prints once the disk is written, just before it reboots into it.</summary>
    public const string InstalledLine = "pigsty-install: installed onto";

    /// <summary>The live system's last line after a failure, once the installer has exited (its write-back to the seed volume done).</summary>
    public const string StoppedLine = "pigsty-install: stopped";

    /// <summary>The line that starts every failure the live system reports on its console.</summary>
    public const string FailedLine = "pigsty-install: FAILED";

    /// <summary>
    /// Written to the seed volume after a successful install: the ISO booted again with the same seed (the medium left in, first in
    /// the boot order) then stops instead of erasing the installed disk once more.
    /// </summary>
    public const string DoneWriteBack = "pigsty-install-done.txt";

    /// <summary>The file a failure is also written to on the seed volume.</summary>
    public const string ErrorWriteBack = "pigsty-install-error.txt";
}

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>Partition type GUIDs this project uses, as the UEFI specification and the Discoverable Partitions Specification define them.</summary>
public static class GptPartitionTypes
{
    /// <summary>EFI System Partition (sgdisk code EF00).</summary>
    public static readonly Guid EfiSystem = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");

    /// <summary>BIOS boot partition, where GRUB embeds its i386-pc core image (sgdisk code EF02).</summary>
    public static readonly Guid BiosBoot = new("21686148-6449-6E6F-744E-656564454649");

    /// <summary>Generic Linux filesystem data (sgdisk code 8300).</summary>
    public static readonly Guid LinuxFilesystem = new("0FC63DAF-8483-4772-8E79-3D69D8477DE4");

    /// <summary>Linux root filesystem on x86-64 (sgdisk code 8304), which systemd-gpt-auto-generator recognises.</summary>
    public static readonly Guid LinuxRootX8664 = new("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709");

    /// <summary>Microsoft basic data, the type a FAT seed volume carries (sgdisk code 0700).</summary>
    public static readonly Guid MicrosoftBasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
}

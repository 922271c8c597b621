namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>What a BIOS install writes: the new first sector of the disk, and the core image padded to whole sectors.</summary>
/// <param name="Mbr">512 bytes for LBA 0: GRUB's boot code with the disk's own partition table and signature kept.</param>
/// <param name="Core">The core image with its blocklist patched, a whole number of sectors, for the BIOS boot partition.</param>
public sealed record BiosBootSectors(byte[] Mbr, byte[] Core)
{
    /// <summary>Sectors the core image takes.</summary>
    public long CoreSectors => Core.Length / 512;
}

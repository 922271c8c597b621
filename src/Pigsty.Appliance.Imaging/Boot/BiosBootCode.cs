using System.Buffers.Binary;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>
/// What grub-bios-setup does to a GPT disk, done on bytes: GRUB's boot.img goes into the MBR's boot-code area and is told the
/// LBA of the core image; the core image's first sector (diskboot.img) gets a blocklist naming the sectors that follow it.
/// </summary>
/// <remarks>Offsets are GRUB 2's (include/grub/i386/pc/boot.h, boot.S, diskboot.S); they have not changed since GRUB 2.00.</remarks>
public static class BiosBootCode
{
    /// <summary>boot.img: the DOS BPB area kept from the disk's existing first sector.</summary>
    public const int BpbStart = 0x03;

    /// <summary>End (exclusive) of the BPB area.</summary>
    public const int BpbEnd = 0x5A;

    /// <summary>boot.img: 64-bit LBA of the core image's first sector.</summary>
    public const int KernelSectorOffset = 0x5C;

    /// <summary>boot.img: boot drive; 0xFF means "the drive the BIOS booted from" (DL).</summary>
    public const int BootDriveOffset = 0x64;

    /// <summary>boot.img: a two-byte jump that, replaced by NOPs, makes boot.img force DL to 0x80 when a buggy BIOS passes a floppy number.</summary>
    public const int DriveCheckOffset = 0x66;

    /// <summary>Start of what boot.img must not overwrite: disk signature (0x1B8), partition table (0x1BE) and boot signature (0x1FE).</summary>
    public const int DiskSignatureOffset = 0x1B8;

    /// <summary>diskboot.img: the first blocklist entry sits in the last 12 bytes of the sector; later entries grow downwards.</summary>
    public const int FirstBlocklistOffset = 512 - BlocklistEntrySize;

    /// <summary>A blocklist entry: 64-bit start LBA, 16-bit sector count, 16-bit load segment.</summary>
    public const int BlocklistEntrySize = 12;

    /// <summary>Segment where diskboot.img loads the rest of the core image: GRUB_BOOT_I386_PC_KERNEL_SEG (0x800) + 512 bytes.</summary>
    public const ushort CoreLoadSegment = 0x820;

    private const int Sector = 512;

    /// <summary>Patches boot.img and core.img for a core image placed at <paramref name="coreLba"/> in a space of <paramref name="maxSectors"/>.</summary>
    public static BiosBootSectors Patch(ReadOnlySpan<byte> bootImage, ReadOnlySpan<byte> currentMbr, ReadOnlySpan<byte> coreImage,
        long coreLba, long maxSectors)
    {
        if (bootImage.Length != Sector || bootImage[510] != 0x55 || bootImage[511] != 0xAA || bootImage[DriveCheckOffset] != 0xEB)
        {
            throw new IntegrityException($"boot.img is not GRUB 2's i386-pc boot sector ({bootImage.Length} bytes; expected 512 ending in 55AA with a jump at 0x66)");
        }

        if (currentMbr.Length != Sector)
        {
            throw new ArgumentException("the current first sector must be 512 bytes", nameof(currentMbr));
        }

        var sectors = (coreImage.Length + Sector - 1) / Sector;
        if (sectors < 2 || BinaryPrimitives.ReadUInt16LittleEndian(coreImage[(FirstBlocklistOffset + 10)..]) != CoreLoadSegment)
        {
            throw new IntegrityException("core.img does not start with GRUB's diskboot.img (no blocklist loading at segment 0x820)");
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(coreImage[(FirstBlocklistOffset + 8)..]);
        if (length != sectors - 1)
        {
            throw new IntegrityException($"core.img says {length} sectors follow its first one, but it is {sectors} sectors long");
        }

        if (sectors > maxSectors || sectors > ushort.MaxValue)
        {
            throw new InputException("GPT layout", $"the BIOS boot partition holds {maxSectors} sectors, too few for GRUB's {sectors}-sector core image");
        }

        var mbr = bootImage.ToArray();
        currentMbr[BpbStart..BpbEnd].CopyTo(mbr.AsSpan(BpbStart));
        currentMbr[DiskSignatureOffset..].CopyTo(mbr.AsSpan(DiskSignatureOffset));
        mbr[510] = 0x55;
        mbr[511] = 0xAA;
        BinaryPrimitives.WriteUInt64LittleEndian(mbr.AsSpan(KernelSectorOffset), (ulong)coreLba);
        mbr[BootDriveOffset] = 0xFF;
        mbr[DriveCheckOffset] = 0x90;
        mbr[DriveCheckOffset + 1] = 0x90;

        var core = new byte[sectors * Sector];
        coreImage.CopyTo(core);
        // One contiguous run after diskboot.img, then a terminating empty entry below it, as grub-bios-setup writes for an embedding area.
        var entry = core.AsSpan(FirstBlocklistOffset, BlocklistEntrySize);
        BinaryPrimitives.WriteUInt64LittleEndian(entry, (ulong)(coreLba + 1));
        BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)(sectors - 1));
        BinaryPrimitives.WriteUInt16LittleEndian(entry[10..], CoreLoadSegment);
        core.AsSpan(FirstBlocklistOffset - BlocklistEntrySize, BlocklistEntrySize).Clear();
        return new BiosBootSectors(mbr, core);
    }
}

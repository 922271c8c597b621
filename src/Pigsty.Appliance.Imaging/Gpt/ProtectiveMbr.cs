using System.Buffers.Binary;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>The protective MBR in LBA 0 (UEFI 2.10, 5.2.3): one partition of type 0xEE covering the disk, boot code left empty.</summary>
internal static class ProtectiveMbr
{
    public const int PartitionTableOffset = 446;
    public const byte ProtectiveType = 0xEE;

    public static byte[] Encode(long totalSectors)
    {
        var sector = new byte[GptLayout.SectorSize];
        var entry = sector.AsSpan(PartitionTableOffset, 16);
        entry[0] = 0x00;                    // not active: the spec says firmware must not boot it as MBR
        entry[1] = 0x00;                    // CHS of LBA 1: head 0, sector 2, cylinder 0
        entry[2] = 0x02;
        entry[3] = 0x00;
        entry[4] = ProtectiveType;
        entry[5] = 0xFF;                    // CHS end: the maximum, as for any disk past CHS limits
        entry[6] = 0xFF;
        entry[7] = 0xFF;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)Math.Min(totalSectors - 1, uint.MaxValue));
        sector[510] = 0x55;
        sector[511] = 0xAA;
        return sector;
    }

    /// <summary>True when the sector has the 0x55AA signature and a partition of type 0xEE.</summary>
    public static bool IsProtective(ReadOnlySpan<byte> sector, out string problem)
    {
        if (sector[510] != 0x55 || sector[511] != 0xAA)
        {
            problem = $"no MBR signature (found {sector[510]:X2}{sector[511]:X2}, expected 55AA)";
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            if (sector[PartitionTableOffset + (i * 16) + 4] == ProtectiveType)
            {
                problem = "";
                return true;
            }
        }

        problem = "no partition of type 0xEE: this is not a protective MBR";
        return false;
    }
}

using System.Buffers.Binary;
using System.IO.Hashing;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>The 92-byte GPT header (UEFI 2.10, table 5.5) as fields, with its exact encoding.</summary>
internal sealed record GptHeader(
    long MyLba,
    long AlternateLba,
    long FirstUsableLba,
    long LastUsableLba,
    Guid DiskGuid,
    long EntriesLba,
    int EntryCount,
    int EntrySize,
    uint EntriesCrc)
{
    public const int Size = 92;
    public const uint Revision = 0x00010000;
    public static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    /// <summary>One sector: the header with its CRC-32, then zeros.</summary>
    public byte[] Encode()
    {
        var sector = new byte[GptLayout.SectorSize];
        var span = sector.AsSpan();
        Signature.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Revision);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], Size);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], (ulong)MyLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], (ulong)AlternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], (ulong)FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(span[48..], (ulong)LastUsableLba);
        DiskGuid.TryWriteBytes(span[56..72]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[72..], (ulong)EntriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(span[80..], (uint)EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(span[84..], (uint)EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[88..], EntriesCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], Crc32.HashToUInt32(span[..Size]));
        return sector;
    }

    /// <summary>Parses a header sector; every deviation from the specification becomes a problem naming <paramref name="where"/>.</summary>
    public static GptHeader? TryDecode(ReadOnlySpan<byte> sector, long lba, string where, List<GptProblem> problems)
    {
        if (!sector[..8].SequenceEqual(Signature))
        {
            problems.Add(new GptProblem(where, $"no GPT signature at LBA {lba} (found {Convert.ToHexString(sector[..8])}, expected 'EFI PART')"));
            return null;
        }

        var count = problems.Count;
        var revision = BinaryPrimitives.ReadUInt32LittleEndian(sector[8..]);
        if (revision != Revision)
        {
            problems.Add(new GptProblem(where, $"revision is 0x{revision:X8}, expected 0x{Revision:X8}"));
        }

        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(sector[12..]);
        if (headerSize < Size || headerSize > GptLayout.SectorSize)
        {
            problems.Add(new GptProblem(where, $"header size is {headerSize}, must be between {Size} and {GptLayout.SectorSize}"));
            return null;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(sector[16..]);
        var copy = sector[..(int)headerSize].ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(16), 0);
        var actual = Crc32.HashToUInt32(copy);
        if (stored != actual)
        {
            problems.Add(new GptProblem(where, $"header CRC32 is 0x{stored:X8} but the header hashes to 0x{actual:X8}"));
        }

        var header = new GptHeader(
            MyLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[24..]),
            AlternateLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[32..]),
            FirstUsableLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[40..]),
            LastUsableLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[48..]),
            DiskGuid: new Guid(sector[56..72]),
            EntriesLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(sector[72..]),
            EntryCount: (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(sector[80..]), int.MaxValue),
            EntrySize: (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(sector[84..]), int.MaxValue),
            EntriesCrc: BinaryPrimitives.ReadUInt32LittleEndian(sector[88..]));
        if (header.MyLba != lba)
        {
            problems.Add(new GptProblem(where, $"MyLBA is {header.MyLba}, but the header was read from LBA {lba}"));
        }

        if (header.FirstUsableLba > header.LastUsableLba || header.FirstUsableLba < 0)
        {
            problems.Add(new GptProblem(where, $"first usable LBA {header.FirstUsableLba} is after last usable LBA {header.LastUsableLba}"));
        }

        if (header.EntrySize < 128 || (header.EntrySize & (header.EntrySize - 1)) != 0)
        {
            problems.Add(new GptProblem(where, $"partition entry size is {header.EntrySize}, must be 128 times a power of two"));
        }

        if (header.EntryCount is <= 0 or > GptEntries.MaxEntryCount)
        {
            problems.Add(new GptProblem(where, $"partition entry count is {header.EntryCount}, must be between 1 and {GptEntries.MaxEntryCount}"));
        }

        return problems.Count == count ? header : null;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>Reads a GPT back from an image: both headers, both entry arrays, their CRC-32s and the partitions' consistency.</summary>
public static class GptReader
{
    private const int Sector = GptLayout.SectorSize;

    /// <summary>Reads the GPT of an image file; true when it has no problem at all.</summary>
    /// <param name="disk">The partition table from the primary copy when it is valid, else from the backup; null when neither is.</param>
    /// <param name="problems">Every problem found, each naming the structure it was found in.</param>
    public static bool TryRead(string imagePath, [NotNullWhen(true)] out GptDisk? disk, out IReadOnlyList<GptProblem> problems)
    {
        using var stream = new FileStream(imagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return TryRead(stream, out disk, out problems);
    }

    /// <summary>Reads the GPT of a seekable stream that holds a whole disk; true when it has no problem at all.</summary>
    public static bool TryRead(Stream stream, [NotNullWhen(true)] out GptDisk? disk, out IReadOnlyList<GptProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var found = new List<GptProblem>();
        problems = found;
        disk = null;
        if (stream.Length % Sector != 0 || stream.Length < Sector * 68L)
        {
            found.Add(new GptProblem("disk", $"{stream.Length} bytes is not a whole number of 512-byte sectors large enough for a GPT"));
            return false;
        }

        var lastLba = (stream.Length / Sector) - 1;
        if (!ProtectiveMbr.IsProtective(ReadSectors(stream, 0, 1), out var mbrProblem))
        {
            found.Add(new GptProblem("protective MBR (LBA 0)", mbrProblem));
        }

        var primary = ReadCopy(stream, 1, "primary", found);
        var backupLba = primary?.Header.AlternateLba ?? lastLba;
        if (primary is not null && primary.Header.AlternateLba != lastLba)
        {
            found.Add(new GptProblem("primary header (LBA 1)",
                $"backup header is said to be at LBA {primary.Header.AlternateLba}, but the disk's last LBA is {lastLba}"));
            backupLba = Math.Min(backupLba, lastLba);
        }

        var backup = ReadCopy(stream, backupLba, "backup", found);
        if (backup is not null && backup.Header.AlternateLba != 1)
        {
            found.Add(new GptProblem($"backup header (LBA {backupLba})", $"primary header is said to be at LBA {backup.Header.AlternateLba}, expected 1"));
        }

        if (primary is not null && backup is not null)
        {
            Compare(primary, backup, found);
        }

        var chosen = primary ?? backup;
        if (chosen is null)
        {
            return false;
        }

        var h = chosen.Header;
        disk = new GptDisk(h.DiskGuid, lastLba + 1, h.FirstUsableLba, h.LastUsableLba, h.EntryCount, h.EntrySize, chosen.Partitions);
        CheckPartitions(disk, chosen.Name, found);
        return found.Count == 0;
    }

    private static Copy? ReadCopy(Stream stream, long lba, string name, List<GptProblem> problems)
    {
        var where = $"{name} header (LBA {lba})";
        var lastLba = (stream.Length / Sector) - 1;
        var header = GptHeader.TryDecode(ReadSectors(stream, lba, 1), lba, where, problems);
        if (header is null)
        {
            return null;
        }

        var arrayBytes = (long)header.EntryCount * header.EntrySize;
        var arraySectors = (arrayBytes + Sector - 1) / Sector;
        if (header.EntriesLba < 2 || header.EntriesLba + arraySectors - 1 > lastLba)
        {
            problems.Add(new GptProblem(where, $"partition entries at LBA {header.EntriesLba} ({arraySectors} sectors) lie outside the disk"));
            return null;
        }

        if (header.EntriesLba <= header.LastUsableLba && header.EntriesLba + arraySectors - 1 >= header.FirstUsableLba)
        {
            problems.Add(new GptProblem(where, $"partition entries at LBA {header.EntriesLba} overlap the usable range {header.FirstUsableLba}..{header.LastUsableLba}"));
        }

        if (header.LastUsableLba >= lastLba)
        {
            problems.Add(new GptProblem(where, $"last usable LBA {header.LastUsableLba} reaches past the disk's last LBA {lastLba}"));
        }

        var array = ReadSectors(stream, header.EntriesLba, arraySectors).AsSpan(0, (int)arrayBytes);
        var crc = Crc32.HashToUInt32(array);
        if (crc != header.EntriesCrc)
        {
            problems.Add(new GptProblem($"{name} partition entries (LBA {header.EntriesLba})",
                $"entry array CRC32 is 0x{header.EntriesCrc:X8} in the header but the array hashes to 0x{crc:X8}"));
            return null;
        }

        return new Copy(name, header, array.ToArray(), GptEntries.Decode(array, header.EntryCount, header.EntrySize));
    }

    private static void Compare(Copy primary, Copy backup, List<GptProblem> problems)
    {
        var p = primary.Header;
        var b = backup.Header;
        const string Where = "backup GPT";
        if (p.DiskGuid != b.DiskGuid)
        {
            problems.Add(new GptProblem(Where, $"disk GUID {b.DiskGuid} differs from the primary's {p.DiskGuid}"));
        }

        if (p.FirstUsableLba != b.FirstUsableLba || p.LastUsableLba != b.LastUsableLba)
        {
            problems.Add(new GptProblem(Where,
                $"usable range {b.FirstUsableLba}..{b.LastUsableLba} differs from the primary's {p.FirstUsableLba}..{p.LastUsableLba}"));
        }

        if (p.EntryCount != b.EntryCount || p.EntrySize != b.EntrySize || !primary.Array.AsSpan().SequenceEqual(backup.Array))
        {
            problems.Add(new GptProblem(Where, "partition entries differ from the primary's"));
        }
    }

    private static void CheckPartitions(GptDisk disk, string copy, List<GptProblem> problems)
    {
        foreach (var partition in disk.Partitions)
        {
            var where = $"{copy} partition {partition.Number} ({partition.Name})";
            if (partition.FirstLba > partition.LastLba)
            {
                problems.Add(new GptProblem(where, $"first LBA {partition.FirstLba} is after last LBA {partition.LastLba}"));
            }
            else if (partition.FirstLba < disk.FirstUsableLba || partition.LastLba > disk.LastUsableLba)
            {
                problems.Add(new GptProblem(where,
                    $"LBA {partition.FirstLba}..{partition.LastLba} is outside the usable range {disk.FirstUsableLba}..{disk.LastUsableLba}"));
            }

            foreach (var other in disk.Partitions.Where(o => o.Number > partition.Number))
            {
                if (partition.FirstLba <= other.LastLba && other.FirstLba <= partition.LastLba)
                {
                    problems.Add(new GptProblem(where, $"overlaps partition {other.Number} ({other.Name})"));
                }
            }
        }

        foreach (var group in disk.Partitions.GroupBy(p => p.PartitionGuid).Where(g => g.Count() > 1))
        {
            problems.Add(new GptProblem($"{copy} partition entries",
                $"partition GUID {group.Key} is used by partitions {string.Join(", ", group.Select(p => p.Number))}"));
        }
    }

    private static byte[] ReadSectors(Stream stream, long lba, long count)
    {
        var buffer = new byte[count * Sector];
        stream.Position = lba * Sector;
        stream.ReadExactly(buffer);
        return buffer;
    }

    private sealed record Copy(string Name, GptHeader Header, byte[] Array, List<GptPartition> Partitions);
}

using System.IO.Hashing;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>Plans and writes a GPT disk: protective MBR, primary header and entries, backup entries and header.</summary>
public static class GptWriter
{
    private const string Source = "GPT layout";

    /// <summary>Where every partition goes, without touching any file; throws <see cref="InputException"/> for a layout that cannot be.</summary>
    public static GptDisk Plan(GptLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var problems = new List<InputProblem>();
        void Problem(string field, string message) => problems.Add(new InputProblem(new SourceLocation(Source, 0, 0), field, message));

        var sector = GptLayout.SectorSize;
        if (layout.DiskSizeBytes <= 0 || layout.DiskSizeBytes % sector != 0)
        {
            Problem("disk size", $"{layout.DiskSizeBytes} bytes is not a positive multiple of {sector}");
        }

        if (layout.AlignmentBytes <= 0 || layout.AlignmentBytes % sector != 0)
        {
            Problem("alignment", $"{layout.AlignmentBytes} bytes is not a positive multiple of {sector}");
        }

        if (layout.EntryCount * GptEntries.EntrySize < 16384 || layout.EntryCount > GptEntries.MaxEntryCount
            || layout.EntryCount * GptEntries.EntrySize % sector != 0)
        {
            Problem("entry count", $"{layout.EntryCount} entries: the array must fill whole sectors and hold at least 128 entries");
        }

        if (layout.Partitions.Count > layout.EntryCount)
        {
            Problem("partitions", $"{layout.Partitions.Count} partitions do not fit in {layout.EntryCount} entries");
        }

        for (var i = 0; i < layout.Partitions.Count; i++)
        {
            var spec = layout.Partitions[i];
            var field = $"partitions[{i}] ({spec.Name})";
            if (string.IsNullOrEmpty(spec.Name) || spec.Name.Length > GptEntries.NameChars)
            {
                Problem(field + ".name", $"must be 1 to {GptEntries.NameChars} UTF-16 code units long");
            }

            if (layout.Partitions.Take(i).Any(p => p.Name == spec.Name))
            {
                Problem(field + ".name", "another partition has the same name");
            }

            if (spec.Type == Guid.Empty)
            {
                Problem(field + ".type", "the all-zero GUID marks an unused entry");
            }

            if (spec.SizeBytes is null && i != layout.Partitions.Count - 1)
            {
                Problem(field + ".size", "only the last partition can take the rest of the disk");
            }

            if (spec.SizeBytes is <= 0)
            {
                Problem(field + ".size", $"{spec.SizeBytes} bytes is not positive");
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        var totalSectors = layout.DiskSizeBytes / sector;
        var entrySectors = (long)layout.EntryCount * GptEntries.EntrySize / sector;
        var firstUsable = 2 + entrySectors;
        var lastUsable = totalSectors - 2 - entrySectors;
        var align = layout.AlignmentBytes / sector;
        var cursor = RoundUp(firstUsable, align);
        var partitions = new List<GptPartition>();
        for (var i = 0; i < layout.Partitions.Count; i++)
        {
            var spec = layout.Partitions[i];
            var last = spec.SizeBytes is { } bytes
                ? cursor + RoundUp((bytes + sector - 1) / sector, align) - 1
                : ((lastUsable + 1) / align * align) - 1;
            if (last > lastUsable || last < cursor)
            {
                Problem($"partitions[{i}] ({spec.Name}).size",
                    $"does not fit: it would span LBA {cursor}..{last}, but the last usable LBA of a {layout.DiskSizeBytes}-byte disk is {lastUsable}");
                break;
            }

            partitions.Add(new GptPartition(i + 1, spec.Name, spec.Type,
                spec.PartitionGuid ?? layout.Guids.Next($"partition:{spec.Name}"), cursor, last, spec.Attributes));
            cursor = last + 1;
        }

        var duplicates = partitions.GroupBy(p => p.PartitionGuid).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var guid in duplicates)
        {
            Problem("partitions", $"partition GUID {guid} is used twice");
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        return new GptDisk(layout.DiskGuid ?? layout.Guids.Next("disk"), totalSectors, firstUsable, lastUsable,
            layout.EntryCount, GptEntries.EntrySize, partitions);
    }

    /// <summary>Creates (or replaces) a sparse image file holding the planned GPT; partitions stay unwritten holes.</summary>
    public static GptDisk Write(string imagePath, GptLayout layout)
    {
        var disk = Plan(layout);
        try
        {
            using var stream = new FileStream(imagePath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
            stream.SetLength(disk.SizeBytes);
            WriteStructures(stream, disk);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(imagePath);
            throw;
        }

        return disk;
    }

    /// <summary>Writes the MBR and both GPT copies of <paramref name="disk"/> into a stream at least as long as the disk.</summary>
    public static void WriteStructures(Stream stream, GptDisk disk)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(disk);
        var entries = GptEntries.Encode(disk.Partitions, disk.EntryCount);
        var entriesCrc = Crc32.HashToUInt32(entries);
        var lastLba = disk.TotalSectors - 1;
        var primary = new GptHeader(1, lastLba, disk.FirstUsableLba, disk.LastUsableLba, disk.DiskGuid, 2,
            disk.EntryCount, disk.EntrySize, entriesCrc);
        var backup = primary with { MyLba = lastLba, AlternateLba = 1, EntriesLba = disk.BackupEntriesLba };

        WriteAt(stream, 0, ProtectiveMbr.Encode(disk.TotalSectors));
        WriteAt(stream, 1, primary.Encode());
        WriteAt(stream, 2, entries);
        WriteAt(stream, disk.BackupEntriesLba, entries);
        WriteAt(stream, lastLba, backup.Encode());
    }

    private static void WriteAt(Stream stream, long lba, byte[] bytes)
    {
        stream.Position = lba * GptLayout.SectorSize;
        stream.Write(bytes);
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}

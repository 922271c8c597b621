namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>A GPT disk as planned or as read: disk GUID, usable sector range, entry array shape and partitions.</summary>
public sealed record GptDisk(
    Guid DiskGuid,
    long TotalSectors,
    long FirstUsableLba,
    long LastUsableLba,
    int EntryCount,
    int EntrySize,
    IReadOnlyList<GptPartition> Partitions)
{
    /// <summary>Size of the disk in bytes.</summary>
    public long SizeBytes => TotalSectors * GptLayout.SectorSize;

    /// <summary>Sectors taken by one copy of the partition entry array.</summary>
    public long EntryArraySectors => ((long)EntryCount * EntrySize + GptLayout.SectorSize - 1) / GptLayout.SectorSize;

    /// <summary>LBA of the backup entry array (just before the backup header).</summary>
    public long BackupEntriesLba => TotalSectors - 1 - EntryArraySectors;

    /// <summary>The partition named <paramref name="name"/>; throws when there is none.</summary>
    public GptPartition Partition(string name) =>
        Partitions.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"the GPT has no partition named '{name}' (it has: {string.Join(", ", Partitions.Select(p => p.Name))})");
}

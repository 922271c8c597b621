namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>What a GPT disk should hold: its size, its partitions in order, and where its GUIDs come from.</summary>
/// <param name="DiskSizeBytes">Total image size in bytes; a multiple of 512.</param>
/// <param name="Partitions">Partitions in on-disk order; numbered from 1.</param>
/// <param name="Guids">Source of the disk GUID and of partition GUIDs not given explicitly.</param>
public sealed record GptLayout(long DiskSizeBytes, IReadOnlyList<PartitionSpec> Partitions, GuidSource Guids)
{
    /// <summary>Logical sector size; 512 is what every firmware and QEMU disk uses by default.</summary>
    public const int SectorSize = 512;

    /// <summary>Partition starts and sizes are multiples of this (1 MiB by default, what sgdisk and sfdisk use).</summary>
    public long AlignmentBytes { get; init; } = 1024 * 1024;

    /// <summary>Number of entries in the partition entry array (128 is the UEFI minimum size of 16 KiB).</summary>
    public int EntryCount { get; init; } = 128;

    /// <summary>A fixed disk GUID; null derives one from <see cref="Guids"/>.</summary>
    public Guid? DiskGuid { get; init; }
}

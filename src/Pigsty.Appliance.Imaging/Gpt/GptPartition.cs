using Pigsty.Appliance.Imaging.Regions;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>A partition as it is on disk: entry number, identity, and its sector range (inclusive).</summary>
/// <param name="Number">1-based index in the partition entry array (the <c>N</c> of <c>/dev/vdaN</c>).</param>
public sealed record GptPartition(
    int Number,
    string Name,
    Guid Type,
    Guid PartitionGuid,
    long FirstLba,
    long LastLba,
    GptAttributes Attributes)
{
    /// <summary>Number of 512-byte sectors.</summary>
    public long SectorCount => LastLba - FirstLba + 1;

    /// <summary>Byte offset of the partition's first sector in the image.</summary>
    public long OffsetBytes => FirstLba * GptLayout.SectorSize;

    /// <summary>Size in bytes.</summary>
    public long SizeBytes => SectorCount * GptLayout.SectorSize;

    /// <summary>The partition's byte range inside <paramref name="imagePath"/>, for tools that write a filesystem there.</summary>
    public DiskRegion Region(string imagePath) => new(imagePath, OffsetBytes, SizeBytes);
}

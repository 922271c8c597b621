namespace Pigsty.Appliance.Imaging.Regions;

/// <summary>A byte range of an image file: where a filesystem or boot code is written.</summary>
/// <param name="ImagePath">The image file, which must already exist and be large enough.</param>
/// <param name="OffsetBytes">Offset of the first byte; a multiple of 512 for every tool we use.</param>
/// <param name="SizeBytes">Length of the range in bytes.</param>
public sealed record DiskRegion(string ImagePath, long OffsetBytes, long SizeBytes)
{
    /// <summary>A region covering a whole existing file (a standalone filesystem image).</summary>
    public static DiskRegion WholeFile(string path) => new(path, 0, new FileInfo(path).Length);

    /// <summary>The first byte after the region.</summary>
    public long EndBytes => OffsetBytes + SizeBytes;
}

namespace Pigsty.Appliance.Imaging.Regions;

/// <summary>Checks shared by every tool that writes into a region: the image exists, is long enough, and the range is aligned.</summary>
internal static class RegionCheck
{
    public static void Validate(DiskRegion region, int alignment, string what)
    {
        if (!File.Exists(region.ImagePath))
        {
            throw new FileNotFoundException($"{what}: image file '{region.ImagePath}' does not exist", region.ImagePath);
        }

        if (region.OffsetBytes < 0 || region.SizeBytes <= 0 || region.OffsetBytes % 512 != 0 || region.SizeBytes % alignment != 0)
        {
            throw new ArgumentException(
                $"{what}: region at {region.OffsetBytes} of {region.SizeBytes} bytes must start on a sector and be a multiple of {alignment} bytes",
                nameof(region));
        }

        var length = new FileInfo(region.ImagePath).Length;
        if (region.EndBytes > length)
        {
            throw new ArgumentException($"{what}: region ends at byte {region.EndBytes}, past the end of '{region.ImagePath}' ({length} bytes)", nameof(region));
        }
    }
}

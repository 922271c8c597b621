using System.Globalization;
using Pigsty.Appliance.Imaging.Regions;

namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>How mtools addresses a filesystem inside an image: <c>image@@offset</c>.</summary>
internal static class Mtools
{
    public static string ImageArgument(DiskRegion region) =>
        region.OffsetBytes == 0
            ? region.ImagePath
            : region.ImagePath + "@@" + region.OffsetBytes.ToString(CultureInfo.InvariantCulture);
}

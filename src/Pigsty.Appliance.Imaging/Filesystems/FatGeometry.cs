using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>FAT width and cluster size for a filesystem size, within the cluster-count limits that define FAT12, FAT16 and FAT32.</summary>
internal static class FatGeometry
{
    private const int Sector = 512;
    private const string What = "FAT filesystem size";

    /// <summary>FAT width (the requested one, else by size like mkfs would) and sectors per cluster; throws when the size cannot hold that FAT.</summary>
    public static (int Bits, int ClusterSectors) Choose(int? requestedBits, long sizeBytes)
    {
        var sectors = sizeBytes / Sector;
        var bits = requestedBits ?? (sizeBytes <= 16L * 1024 * 1024 ? 12 : sizeBytes <= 512L * 1024 * 1024 ? 16 : 32);
        switch (bits)
        {
            case 12:
                // At most 4084 clusters; the bound counts all sectors, so the real data area stays below it.
                return (12, SmallestFitting(sectors, 4000));
            case 16:
                var fat16 = SmallestFitting(sectors, 65000);
                return sectors / fat16 >= 4200
                    ? (16, fat16)
                    : throw new InputException(What, $"{sizeBytes} bytes is too small for FAT16 (it needs more than 4084 clusters)");
            case 32:
                // At least 65525 clusters, with room for the FATs; 4 KiB clusters when the size allows, like mkfs.fat.
                foreach (var clusterSectors in new[] { 8, 4, 2, 1 })
                {
                    if (sectors / clusterSectors >= 67000)
                    {
                        return (32, clusterSectors);
                    }
                }

                throw new InputException(What, $"{sizeBytes} bytes is too small for FAT32 (it needs at least 65525 clusters, about 34 MiB)");
            default:
                throw new ArgumentOutOfRangeException(nameof(requestedBits), requestedBits, "FAT width must be 12, 16 or 32");
        }
    }

    private static int SmallestFitting(long sectors, long maxClusters)
    {
        var clusterSectors = 1;
        while (sectors / clusterSectors > maxClusters && clusterSectors < 128)
        {
            clusterSectors *= 2;
        }

        return clusterSectors;
    }
}

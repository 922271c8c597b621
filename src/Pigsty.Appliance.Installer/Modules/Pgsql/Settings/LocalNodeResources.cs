using System.Globalization;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>This machine's resources: CPU count, MemTotal from /proc/meminfo, and the data filesystem's size.</summary>
public sealed class LocalNodeResources : INodeResources
{
    public NodeResources Read(string dataPath)
    {
        var memoryKb = File.ReadLines("/proc/meminfo")
            .Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .First();
        var existing = dataPath;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        return new NodeResources(Environment.ProcessorCount, memoryKb / 1024, new DriveInfo(existing).TotalSize);
    }
}

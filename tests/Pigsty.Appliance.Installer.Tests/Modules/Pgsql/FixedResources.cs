using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>A node of known size, so rendered configuration is the same on every machine.</summary>
internal sealed class FixedResources(int cpus = 2, long memoryMb = 4096, long diskBytes = 40L << 30) : INodeResources
{
    public NodeResources Read(string dataPath) => new(cpus, memoryMb, diskBytes);
}

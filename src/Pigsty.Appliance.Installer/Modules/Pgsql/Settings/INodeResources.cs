namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>Reads the node's resources; tests give fixed ones so rendered configuration is deterministic.</summary>
public interface INodeResources
{
    /// <summary>CPUs, memory, and the size of the filesystem that holds <paramref name="dataPath"/> (or its nearest existing parent).</summary>
    NodeResources Read(string dataPath);
}

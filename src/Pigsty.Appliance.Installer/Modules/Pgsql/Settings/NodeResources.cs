namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>What the node offers PostgreSQL: CPUs, memory and the size of the filesystem holding the data.</summary>
public sealed record NodeResources(int Cpus, long MemoryMb, long DiskBytes);

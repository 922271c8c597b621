using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>A located seed: its kind, the inventory file, and the mounted volume to write results back to (if any).</summary>
public sealed record SeedSource(SeedKind Kind, string InventoryPath, string? VolumeDirectory, string Description)
{
    /// <summary>Null when the inventory is the whole file; else the key of the #cloud-config user-data it sits under.</summary>
    public string? InventoryKey { get; init; }

    /// <summary>Why the volume cannot take the write-back (ISO 9660, a read-only device), or null when it can.</summary>
    public string? ReadOnly { get; init; }

    /// <summary>NoCloud meta-data's instance id and host name (none for other seeds).</summary>
    public NoCloudMetaData MetaData { get; init; } = NoCloudMetaData.None;

    /// <summary>The static network NoCloud's network-config gives, or null (DHCP, or no network-config).</summary>
    public SiteNode? Network { get; init; }
}

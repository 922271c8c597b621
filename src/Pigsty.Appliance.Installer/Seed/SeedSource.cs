namespace Pigsty.Appliance.Installer.Seed;

/// <summary>A located seed: its kind, the inventory file, and the mounted volume to write results back to (if any).</summary>
public sealed record SeedSource(SeedKind Kind, string InventoryPath, string? VolumeDirectory, string Description);

using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Reads a located seed into a validated inventory; the embedded default is rebound to this node's primary IP.</summary>
public static class SeedLoader
{
    /// <summary>Loads and validates the seed; errors are the inventory loader's precise ones.</summary>
    public static async Task<PigstyInventory> LoadAsync(SeedSource seed, IPAddress? primary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var root = seed.InventoryKey is null
            ? await YamlReader.LoadAsync(seed.InventoryPath, cancellationToken)
            : await CloudConfig.InventoryAsync(seed.InventoryPath, cancellationToken);
        var inventory = InventoryLoader.FromYaml(root, seed.InventoryPath);
        if (seed.Kind != SeedKind.Embedded || primary is null || inventory.Hosts.Count != 1
            || !inventory.Hosts[0].Address.Equals(inventory.AdminIp) || inventory.AdminIp.Equals(primary))
        {
            return inventory;
        }

        // Pigsty's single-node layout names one placeholder address everywhere; this node's primary IP takes its place.
        return InventoryLoader.FromYaml(YamlRewriter.ReplaceText(root, inventory.AdminIp.ToString(), primary.ToString()), seed.InventoryPath);
    }
}

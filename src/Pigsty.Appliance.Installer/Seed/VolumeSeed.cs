using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>
/// What a mounted seed volume holds: the inventory (<c>pigsty.yml</c>, else a NoCloud <c>user-data</c>'s <c>pigsty:</c> key) and,
/// from NoCloud's <c>meta-data</c> and <c>network-config</c> where present, the machine's instance id, host name and static network.
/// </summary>
/// <param name="InventoryKey">Null when the inventory is the whole file; else the key of the #cloud-config it sits under.</param>
public sealed record VolumeSeed(string InventoryPath, string? InventoryKey, NoCloudMetaData MetaData, SiteNode? Network)
{
    /// <summary>Reads the volume's root; a volume with neither inventory file is an input error naming <paramref name="volume"/>.</summary>
    public static async Task<VolumeSeed> ReadAsync(string directory, string volume, CancellationToken cancellationToken)
    {
        var plain = Path.Join(directory, SeedMedia.InventoryName);
        var userData = Path.Join(directory, SeedMedia.UserData);
        var (inventory, key) = File.Exists(plain) ? (plain, (string?)null)
            : File.Exists(userData) ? (userData, SeedMedia.UserDataKey)
            : throw new InputException(volume, $"the seed volume has neither {SeedMedia.InventoryName} nor a NoCloud {SeedMedia.UserData} at its root");

        var metaPath = Path.Join(directory, SeedMedia.MetaData);
        var meta = File.Exists(metaPath) ? NoCloudMetaData.Parse(await File.ReadAllTextAsync(metaPath, cancellationToken), metaPath) : NoCloudMetaData.None;
        var networkPath = Path.Join(directory, SeedMedia.NetworkConfig);
        var network = File.Exists(networkPath) ? NoCloudNetwork.Parse(await File.ReadAllTextAsync(networkPath, cancellationToken), networkPath) : null;
        return new VolumeSeed(inventory, key, meta, network);
    }
}

using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>What the seed says about installing onto a disk: which disk, whether it may be erased, whether to skip the countdown.</summary>
/// <param name="Rule">From <c>install_disk</c>; null lets the installer take the single non-removable disk large enough.</param>
/// <param name="Wipe"><c>install_wipe: true</c> lets it erase a disk that holds partitions.</param>
/// <param name="Unattended"><c>install_unattended: true</c> skips the countdown before the disk is erased.</param>
/// <param name="Source">The seed file, named by every error.</param>
public sealed record InstallSettings(DiskRule? Rule, bool Wipe, bool Unattended, string Source)
{
    public const string WipeKey = "install_wipe";
    public const string UnattendedKey = "install_unattended";

    /// <summary>No seed: no rule, nothing erased that holds data, and a countdown.</summary>
    public static InstallSettings None { get; } = new(null, false, false, "(no seed volume)");

    /// <summary>
    /// The keys as this node sees them: its host's effective variables when the inventory says which host it is (the seed's site
    /// material or network-config address, or the inventory's only host), else the inventory's <c>all.vars</c>.
    /// </summary>
    public static InstallSettings From(PigstyInventory inventory, System.Net.IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var host = address is not null ? inventory.FindHost(address) : inventory.Hosts.Count == 1 ? inventory.Hosts[0] : null;
        var vars = host?.Vars ?? inventory.GlobalVars;
        return new InstallSettings(
            vars.Find(DiskRule.Key) is { } rule ? DiskRule.Parse(rule, inventory.Source) : null,
            vars.Bool(WipeKey, false),
            vars.Bool(UnattendedKey, false),
            inventory.Source);
    }
}

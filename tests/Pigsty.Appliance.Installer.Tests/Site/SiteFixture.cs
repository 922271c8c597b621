using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Installer.Tests.Site;

/// <summary>A site in the style of Pigsty's ha/trio (three nodes running INFRA, ETCD, MINIO and PGSQL, one with PGSQL only), its site directory and volumes.</summary>
internal static class SiteFixture
{
    /// <summary>Pigsty's ha/trio layout plus a fourth node with PostgreSQL only (the Core tests' sample, shared with the CLI's site tests).</summary>
    public static readonly string Trio = Modules.ModuleNodes.Sample("ha-site.yml");

    /// <summary>Writes the site directory for <paramref name="inventoryText"/> under <paramref name="site"/>.</summary>
    public static Task<SiteResult> WriteAsync(string site, string? inventoryText = null, int? prefix = null) =>
        SiteDirectory.WriteAsync(InventoryLoader.Parse(inventoryText ?? Trio, "pigsty.yml"),
            new SiteOptions(site, prefix, prefix is null ? null : IPAddress.Parse("10.10.10.1"), []), TimeProvider.System, CancellationToken.None);

    /// <summary>Lays out what <paramref name="address"/>'s seed volume carries in <paramref name="volume"/> (as the FAT image would).</summary>
    public static string Volume(SiteResult site, string address, string volume, string? inventoryText = null)
    {
        var seed = site.Seeds.Single(s => s.Host.Address.Equals(IPAddress.Parse(address)));
        Directory.CreateDirectory(Path.Join(volume, SeedMedia.SiteDirectory));
        File.WriteAllText(Path.Join(volume, SeedMedia.InventoryName), inventoryText ?? Trio);
        foreach (var (target, source) in seed.Files)
        {
            File.Copy(source, Path.Join(volume, target));
        }

        return volume;
    }
}

using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Installer.Tests.Site;

/// <summary>A three-node site in the style of Pigsty's ha/trio (every node runs INFRA, ETCD, MINIO and PGSQL), its site directory and volumes.</summary>
internal static class SiteFixture
{
    public const string Trio = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 }, 10.10.10.11: { infra_seq: 2 }, 10.10.10.12: { infra_seq: 3 } } }
            etcd:
              hosts: { 10.10.10.10: { etcd_seq: 1 }, 10.10.10.11: { etcd_seq: 2 }, 10.10.10.12: { etcd_seq: 3 } }
              vars: { etcd_cluster: etcd }
            minio:
              hosts: { 10.10.10.10: { minio_seq: 1 }, 10.10.10.11: { minio_seq: 2 }, 10.10.10.12: { minio_seq: 3 } }
              vars: { minio_cluster: minio }
            pg-meta:
              hosts:
                10.10.10.10: { pg_seq: 1, pg_role: primary }
                10.10.10.11: { pg_seq: 2, pg_role: replica }
                10.10.10.12: { pg_seq: 3, pg_role: replica, pg_offline_query: true }
              vars:
                pg_cluster: pg-meta
                pg_users: [ { name: dbuser_meta, pgbouncer: true, roles: [ dbrole_admin ] } ]
          vars:
            admin_ip: 10.10.10.10
            pgbackrest_method: minio
        """;

    /// <summary>Writes the site directory for <paramref name="inventoryText"/> under <paramref name="site"/>.</summary>
    public static Task<SiteResult> WriteAsync(string site, string inventoryText = Trio, int? prefix = null) =>
        SiteDirectory.WriteAsync(InventoryLoader.Parse(inventoryText, "pigsty.yml"),
            new SiteOptions(site, prefix, prefix is null ? null : IPAddress.Parse("10.10.10.1"), []), TimeProvider.System, CancellationToken.None);

    /// <summary>Lays out what <paramref name="address"/>'s seed volume carries in <paramref name="volume"/> (as the FAT image would).</summary>
    public static string Volume(SiteResult site, string address, string volume, string inventoryText = Trio)
    {
        var seed = site.Seeds.Single(s => s.Host.Address.Equals(IPAddress.Parse(address)));
        Directory.CreateDirectory(Path.Join(volume, SeedMedia.SiteDirectory));
        File.WriteAllText(Path.Join(volume, SeedMedia.InventoryName), inventoryText);
        foreach (var (target, source) in seed.Files)
        {
            File.Copy(source, Path.Join(volume, target));
        }

        return volume;
    }
}

using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>A node context for the single-node layout, with files under a temp root.</summary>
internal static class TestNode
{
    public const string SingleNode = """
        all:
          children:
            infra:   { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            etcd:    { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars:
            admin_ip: 10.10.10.10
            pg_admin_password: given-in-seed
        """;

    /// <summary>An admin/infra node and a PostgreSQL replica on a second node that only runs NODE and PGSQL.</summary>
    public const string TwoNodes = """
        all:
          children:
            infra:   { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            etcd:    { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            pg-meta:
              hosts:
                10.10.10.10: { pg_seq: 1, pg_role: primary }
                10.10.10.11: { pg_seq: 2, pg_role: replica }
              vars: { pg_cluster: pg-meta }
          vars:
            admin_ip: 10.10.10.10
            pg_replication_password: Repl.Shared-9kd
            pg_monitor_password: Mon.Shared-2mz
            pg_admin_password: Dba.Shared-7tw
            patroni_password: Api.Shared-3rf
            pg_etcd_password: Dcs.Shared-8pn
        """;

    /// <summary>The node <paramref name="address"/> (default: the inventory's first host) of <paramref name="inventoryText"/>.</summary>
    public static NodeContext Create(string root, string inventoryText = SingleNode, IReadOnlyDictionary<string, string>? repo = null, string? address = null)
    {
        var inventory = InventoryLoader.Parse(inventoryText, "pigsty.yml");
        var host = address is null
            ? inventory.Hosts[0]
            : inventory.FindHost(IPAddress.Parse(address)) ?? throw new ArgumentException($"{address} is not in the inventory", nameof(address));
        var files = new LocalFileSystem(ProcessRunner.Silent, root);
        return new NodeContext(inventory, host, new Credentials(files, host.Vars), new RepoCatalog(repo ?? new Dictionary<string, string>()))
        {
            Material = SiteMaterial.ReadAsync(files, CancellationToken.None).GetAwaiter().GetResult(),
        };
    }
}

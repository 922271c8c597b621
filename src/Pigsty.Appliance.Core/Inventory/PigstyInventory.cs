using System.Net;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A validated Pigsty inventory (<c>pigsty.yml</c>): groups, hosts, variables and each module's identity.</summary>
public sealed record PigstyInventory(
    string Source,
    IPAddress AdminIp,
    VarSet GlobalVars,
    IReadOnlyList<InventoryGroup> Groups,
    IReadOnlyList<InventoryHost> Hosts,
    IReadOnlyList<ClusterMember> Infra,
    IReadOnlyList<MemberCluster> Etcd,
    IReadOnlyList<MemberCluster> Minio,
    IReadOnlyList<PgCluster> PgClusters)
{
    /// <summary>The host with this address, or null when the inventory does not list it.</summary>
    public InventoryHost? FindHost(IPAddress address) => Hosts.FirstOrDefault(h => h.Address.Equals(address));
}

using System.Net;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A validated Pigsty inventory (<c>pigsty.yml</c>): groups, hosts, variables and each module's identity.</summary>
public sealed record PigstyInventory(
    string Source,
    IPAddress AdminIp,
    VarSet GlobalVars,
    IReadOnlyList<InventoryGroup> Groups,
    IReadOnlyList<InventoryHost> Hosts,
    IReadOnlyList<ClusterMember> Infra,
    IReadOnlyDictionary<string, IReadOnlyList<MemberCluster>> MemberClusters,
    IReadOnlyList<PgCluster> PgClusters)
{
    /// <summary>Every variable as written (all.vars, group vars, host vars), in file order: what parameter checks read.</summary>
    public IReadOnlyList<VarDefinition> Definitions { get; init; } = [];

    /// <summary>What the loader accepted but a person should know (e.g. <c>pg_seq</c> on a host without <c>pg_cluster</c>).</summary>
    public IReadOnlyList<InputProblem> Warnings { get; init; } = [];

    /// <summary>The ETCD clusters (<c>etcd_cluster</c> groups).</summary>
    public IReadOnlyList<MemberCluster> Etcd => Clusters("etcd");

    /// <summary>The MINIO clusters (<c>minio_cluster</c> groups).</summary>
    public IReadOnlyList<MemberCluster> Minio => Clusters("minio");

    /// <summary>The clusters of one of <see cref="InventoryLoader.MemberClusterKinds"/>, e.g. <c>etcd</c>.</summary>
    public IReadOnlyList<MemberCluster> Clusters(string kind) =>
        MemberClusters.TryGetValue(kind, out var clusters)
            ? clusters
            : throw new ArgumentException($"'{kind}' is not a cluster kind the inventory reads (expected one of {string.Join(", ", MemberClusters.Keys)})", nameof(kind));

    /// <summary>The host with this address, or null when the inventory does not list it.</summary>
    public InventoryHost? FindHost(IPAddress address) => Hosts.FirstOrDefault(h => h.Address.Equals(address));
}

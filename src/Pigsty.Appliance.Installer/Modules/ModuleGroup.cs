using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>How the inventory says which nodes run a module: every host, the <c>infra</c> group, <c>&lt;kind&gt;_cluster</c> groups or <c>pg_cluster</c> groups.</summary>
/// <param name="Description">The rule in words, for people.</param>
/// <param name="Clusters">The module's members in an inventory, group by group.</param>
public sealed record ModuleGroup(string Description, Func<PigstyInventory, IReadOnlyList<ModuleCluster>> Clusters)
{
    /// <summary>NODE: every host the inventory lists.</summary>
    public static ModuleGroup EveryHost { get; } = new("every host of the inventory", inventory =>
        [new ModuleCluster(null, inventory.Hosts.Select(h => new ModuleMember(h.Address.ToString(), h.Address)).ToList())]);

    /// <summary>INFRA: hosts of the group <c>infra</c>, numbered by <c>infra_seq</c>.</summary>
    public static ModuleGroup Infra { get; } = new("hosts of the group 'infra', numbered by infra_seq", inventory =>
        inventory.Infra.Count == 0 ? [] : [new ModuleCluster(null, inventory.Infra.Select(m => new ModuleMember($"{m.Address} (infra_seq {m.Seq})", m.Address)).ToList())]);

    /// <summary>PGSQL: groups that set <c>pg_cluster</c>, hosts numbered by <c>pg_seq</c> with a <c>pg_role</c>.</summary>
    public static ModuleGroup PgClusters { get; } = new("groups that set pg_cluster; hosts numbered by pg_seq, with pg_role", inventory =>
        inventory.PgClusters.Select(c => new ModuleCluster(c.Name,
            c.Instances.Select(i => new ModuleMember($"{i.Name} {i.Address} {i.Role.ToString().ToLowerInvariant()}", i.Address)).ToList())).ToList());

    /// <summary>ETCD, MINIO and their like: groups that set <c>&lt;kind&gt;_cluster</c>, hosts numbered by <c>&lt;kind&gt;_seq</c>.</summary>
    public static ModuleGroup MemberClusters(string kind) => new($"groups that set {kind}_cluster; hosts numbered by {kind}_seq", inventory =>
        inventory.Clusters(kind).Select(c => new ModuleCluster(c.Name,
            c.Members.Select(m => new ModuleMember($"{c.Name}-{m.Seq} {m.Address}", m.Address)).ToList())).ToList());
}

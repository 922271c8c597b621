using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>Reads each module's identity parameters (infra_seq, etcd_*, minio_*, pg_*) and checks them.</summary>
internal sealed partial class IdentityReader(IReadOnlyList<InventoryGroup> groups, IReadOnlyList<InventoryHost> hosts, ProblemList problems)
{
    private const string NameRule = "letters, digits and '-', not starting or ending with '-', at most 63 characters";

    public IReadOnlyList<ClusterMember> Infra()
    {
        var members = new List<ClusterMember>();
        var taken = new Dictionary<int, InventoryHost>();
        foreach (var host in HostsOf(groups.Where(g => g.Name == "infra")))
        {
            problems.Run(() =>
            {
                var value = host.Vars.Require("infra_seq", "every host of group 'infra' needs infra_seq");
                members.Add(new ClusterMember(host.Address, Seq(value, "infra_seq", "group 'infra'", host, taken)));
            });
        }

        return members.OrderBy(m => m.Seq).ToList();
    }

    /// <summary>ETCD or MINIO clusters: groups that set <c>{kind}_cluster</c> or are named after the module.</summary>
    public IReadOnlyList<MemberCluster> Clusters(string kind)
    {
        var clusterVar = $"{kind}_cluster";
        var seqVar = $"{kind}_seq";
        var module = kind.ToUpperInvariant();
        var clusterGroups = groups.Where(g => g.Name == kind || g.Vars.Find(clusterVar) is not null).ToList();
        var clusters = new List<MemberCluster>();
        foreach (var group in clusterGroups)
        {
            var name = problems.Run(() => ClusterName(group.Vars.Require(clusterVar, $"group '{group.Name}' holds {module} members and needs {clusterVar}")));
            var members = new List<ClusterMember>();
            var taken = new Dictionary<int, InventoryHost>();
            foreach (var host in HostsOf([group]))
            {
                problems.Run(() =>
                {
                    var value = host.Vars.Require(seqVar, $"every host of {module} cluster '{name}' needs {seqVar}");
                    members.Add(new ClusterMember(host.Address, Seq(value, seqVar, $"cluster '{name}'", host, taken)));
                });
            }

            if (name is not null)
            {
                clusters.Add(new MemberCluster(name, members.OrderBy(m => m.Seq).ToList()));
            }
        }

        Orphans(seqVar, clusterGroups, $"no group of this host sets {clusterVar}");
        return clusters;
    }

    public IReadOnlyList<PgCluster> PgClusters()
    {
        var pgGroups = groups.Where(g => g.Vars.Find("pg_cluster") is not null).ToList();
        var owner = new Dictionary<InventoryHost, string>();
        var clusters = new List<PgCluster>();
        foreach (var group in pgGroups)
        {
            var name = problems.Run(() => PgClusterName(group));
            if (name is null)
            {
                continue;
            }

            var instances = new List<PgInstance>();
            var taken = new Dictionary<int, InventoryHost>();
            foreach (var host in HostsOf([group]))
            {
                if (owner.TryGetValue(host, out var other))
                {
                    problems.Add(new InputProblem(host.Location, host.Path,
                        $"host {host.Address} is already an instance of cluster '{other}'; Pigsty runs one PostgreSQL instance per node"));
                    continue;
                }

                owner[host] = name;
                problems.Run(() => instances.Add(Instance(name, host, taken, instances)));
            }

            // Only on otherwise clean input: a bad host key or pg_role already explains a missing primary.
            if (problems.Count == 0 && instances.All(i => i.Role != PgRole.Primary))
            {
                problems.Add(new InputProblem(group.Location, group.Path,
                    $"cluster '{name}' has no primary; exactly one host needs pg_role: primary"));
            }

            clusters.Add(new PgCluster(name, instances.OrderBy(i => i.Seq).ToList(), group.Vars));
        }

        Orphans("pg_seq", pgGroups, "no group of this host sets pg_cluster");
        return clusters;
    }

    private PgInstance Instance(string cluster, InventoryHost host, Dictionary<int, InventoryHost> taken, List<PgInstance> others)
    {
        var why = $"every host of PGSQL cluster '{cluster}' needs";
        var seqValue = host.Vars.Require("pg_seq", $"{why} pg_seq");
        var roleValue = host.Vars.Require("pg_role", $"{why} pg_role");
        var role = roleValue.AsString() switch
        {
            "primary" => PgRole.Primary,
            "replica" => PgRole.Replica,
            "offline" => PgRole.Offline,
            var unknown => throw roleValue.Error($"unknown role '{unknown}' (expected primary, replica or offline)"),
        };
        if (role == PgRole.Primary && others.FirstOrDefault(o => o.Role == PgRole.Primary) is { } primary)
        {
            throw roleValue.Error($"cluster '{cluster}' already has a primary ({primary.Address}); a cluster has exactly one");
        }

        return new PgInstance(cluster, host.Address, Seq(seqValue, "pg_seq", $"cluster '{cluster}'", host, taken), role);
    }

    private string PgClusterName(InventoryGroup group)
    {
        var value = group.Vars.Find("pg_cluster")!;
        var name = ClusterName(value);
        return name == group.Name
            ? name
            : throw value.Error($"pg_cluster '{name}' differs from its group name '{group.Name}'; Pigsty requires them to be equal");
    }

    private static string ClusterName(YamlValue value)
    {
        var name = value.AsString();
        return ClusterNamePattern().IsMatch(name)
            ? name
            : throw value.Error($"'{name}' is not a valid cluster name ({NameRule})");
    }

    private static int Seq(YamlValue value, string field, string scope, InventoryHost host, Dictionary<int, InventoryHost> taken)
    {
        var seq = value.AsInt();
        if (seq < 1)
        {
            throw value.Error($"must be a positive integer, got {seq}");
        }

        if (taken.TryGetValue(seq, out var other))
        {
            throw value.Error($"{field} {seq} is already used by {other.Address} in {scope}");
        }

        taken[seq] = host;
        return seq;
    }

    /// <summary>A host that carries a sequence number but belongs to no group of that module is a mistake worth naming.</summary>
    private void Orphans(string seqVar, List<InventoryGroup> moduleGroups, string why)
    {
        var members = HostsOf(moduleGroups).ToHashSet();
        foreach (var host in hosts.Where(h => !members.Contains(h) && h.Vars.Find(seqVar) is not null))
        {
            problems.Add(host.Vars.Find(seqVar)!.Error($"{seqVar} is set but {why}"));
        }
    }

    private IEnumerable<InventoryHost> HostsOf(IEnumerable<InventoryGroup> selected) =>
        selected.SelectMany(g => g.Hosts).Distinct().Select(a => hosts.First(h => h.Address.Equals(a)));

    [GeneratedRegex("^(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex ClusterNamePattern();
}

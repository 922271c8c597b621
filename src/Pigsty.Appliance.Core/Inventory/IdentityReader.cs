using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>
/// Reads each module's identity parameters (infra_seq, etcd_*, minio_*, pg_*) from every host's effective variables, as Pigsty's
/// roles do, and checks them: a PostgreSQL instance is a host whose variables name a <c>pg_cluster</c>, wherever that is set.
/// </summary>
internal sealed partial class IdentityReader(IReadOnlyList<InventoryGroup> groups, IReadOnlyList<InventoryHost> hosts, ProblemList problems,
    List<InputProblem> warnings)
{
    private const string NameRule = "letters, digits and '-', not starting or ending with '-', at most 63 characters";

    /// <summary>Pigsty's role defaults for <c>&lt;kind&gt;_cluster</c>: etcd's is <c>etcd</c>, minio has none (it is required).</summary>
    private static readonly IReadOnlyDictionary<string, string> DefaultClusterNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["etcd"] = "etcd",
    };

    public IReadOnlyList<ClusterMember> Infra()
    {
        var members = new List<ClusterMember>();
        var taken = new Dictionary<int, InventoryHost>();
        foreach (var host in hosts.Where(h => h.IsIn("infra")))
        {
            problems.Run(() =>
            {
                var value = host.Vars.Require("infra_seq", "every host of group 'infra' needs infra_seq");
                members.Add(new ClusterMember(host.Address, Seq(value, "infra_seq", "group 'infra'", host, taken)));
            });
        }

        return members.OrderBy(m => m.Seq).ToList();
    }

    /// <summary>
    /// ETCD or MINIO members: hosts with <c>{kind}_seq</c>, and every host of a group named after the module or whose own variables
    /// set <c>{kind}_cluster</c> (all.vars alone makes no host a member). A member's cluster is its effective <c>{kind}_cluster</c>.
    /// </summary>
    public IReadOnlyList<MemberCluster> Clusters(string kind)
    {
        var clusterVar = $"{kind}_cluster";
        var seqVar = $"{kind}_seq";
        var module = kind.ToUpperInvariant();
        var clusterGroups = groups.Where(g => g.Name == kind || g.Vars.Find(clusterVar) is not null).Select(g => g.Name).ToList();
        var candidates = hosts.Where(h => h.Vars.Find(seqVar) is not null || clusterGroups.Any(h.IsIn)).ToList();
        var byCluster = new Dictionary<string, List<ClusterMember>>(StringComparer.Ordinal);
        var taken = new Dictionary<string, Dictionary<int, InventoryHost>>(StringComparer.Ordinal);
        foreach (var host in candidates)
        {
            problems.Run(() =>
            {
                var name = host.Vars.Find(clusterVar) is { } value ? ClusterName(value)
                    : DefaultClusterNames.TryGetValue(kind, out var fallback) ? fallback
                    : throw new InputException(new InputProblem(host.Location, YamlReader.ChildPath(host.Path, clusterVar),
                        $"missing; host {host.Address} is a {module} member ({Why(host, seqVar, clusterGroups)}) and needs {clusterVar}"));
                var seq = host.Vars.Require(seqVar, $"every host of {module} cluster '{name}' needs {seqVar}");
                var seen = taken.TryGetValue(name, out var s) ? s : taken[name] = [];
                var member = new ClusterMember(host.Address, Seq(seq, seqVar, $"cluster '{name}'", host, seen));
                (byCluster.TryGetValue(name, out var list) ? list : byCluster[name] = []).Add(member);
            });
        }

        return byCluster.Select(c => new MemberCluster(c.Key, c.Value.OrderBy(m => m.Seq).ToList())).ToList();
    }

    public IReadOnlyList<PgCluster> PgClusters()
    {
        var byCluster = new Dictionary<string, List<(InventoryHost Host, PgInstance Instance)>>(StringComparer.Ordinal);
        var taken = new Dictionary<string, Dictionary<int, InventoryHost>>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            if (host.Vars.Find("pg_cluster") is not { } value)
            {
                if (host.Vars.Find("pg_seq") is { } seq)
                {
                    warnings.Add(new InputProblem(seq.Location, seq.Path, "pg_seq is set but this host has no pg_cluster, so it runs no PostgreSQL instance"));
                }

                continue;
            }

            if (!OneClusterPerHost(host))
            {
                continue;
            }

            problems.Run(() =>
            {
                var name = ClusterName(value);
                var seen = taken.TryGetValue(name, out var s) ? s : taken[name] = [];
                var others = byCluster.TryGetValue(name, out var list) ? list.Select(i => i.Instance).ToList() : [];
                var instance = Instance(name, host, seen, others);
                (byCluster.TryGetValue(name, out var existing) ? existing : byCluster[name] = []).Add((host, instance));
            });
        }

        var clusters = new List<PgCluster>();
        foreach (var (name, instances) in byCluster)
        {
            // Only on otherwise clean input: a bad host key or pg_role already explains a missing primary.
            if (problems.Count == 0 && instances.All(i => i.Instance.Role != PgRole.Primary))
            {
                var value = instances[0].Host.Vars.Find("pg_cluster")!;
                problems.Add(value.Error($"cluster '{name}' has no primary; exactly one host needs pg_role: primary"));
                continue;
            }

            var primary = instances.FirstOrDefault(i => i.Instance.Role == PgRole.Primary).Host ?? instances[0].Host;
            // The cluster's variables are its primary's; one it lacks belongs where pg_cluster is set (the cluster's group vars).
            var setter = primary.Vars.Find("pg_cluster");
            var owner = groups.FirstOrDefault(g => primary.IsIn(g.Name) && ReferenceEquals(g.Vars.Find("pg_cluster"), setter))?.Vars;
            clusters.Add(new PgCluster(name, instances.Select(i => i.Instance).OrderBy(i => i.Seq).ToList(),
                owner is null ? primary.Vars : primary.Vars.OwnedAs(owner)));
        }

        return clusters;
    }

    /// <summary>
    /// Two groups of one host that each set a different pg_cluster would let precedence silently pick one: that is a mistake to name,
    /// since Pigsty runs one PostgreSQL instance per node.
    /// </summary>
    private bool OneClusterPerHost(InventoryHost host)
    {
        var setters = groups.Where(g => host.IsIn(g.Name) && g.Vars.Find("pg_cluster") is not null)
            .Select(g => (Group: g.Name, Name: g.Vars.Find("pg_cluster")!.AsString())).DistinctBy(s => s.Name).ToList();
        if (setters.Count < 2 || HostSetsCluster(host))
        {
            return true;
        }

        problems.Add(new InputProblem(host.Location, host.Path,
            $"host {host.Address} is in groups {string.Join(" and ", setters.Select(s => $"'{s.Group}' (pg_cluster {s.Name})"))}; "
            + "Pigsty runs one PostgreSQL instance per node"));
        return false;
    }

    /// <summary>True when the host's own variables set pg_cluster (which then decides, whatever its groups say).</summary>
    private static bool HostSetsCluster(InventoryHost host) =>
        host.Vars.Find("pg_cluster") is { } value && value.Path.Contains(YamlReader.ChildPath("hosts", host.Address.ToString()), StringComparison.Ordinal);

    private static string Why(InventoryHost host, string seqVar, List<string> clusterGroups) =>
        host.Vars.Find(seqVar) is not null ? $"it sets {seqVar}" : $"it is in group '{clusterGroups.First(host.IsIn)}'";

    private static PgInstance Instance(string cluster, InventoryHost host, Dictionary<int, InventoryHost> taken, List<PgInstance> others)
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

    [GeneratedRegex("^(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex ClusterNamePattern();
}

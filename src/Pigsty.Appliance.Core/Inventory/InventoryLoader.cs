using System.Net;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>Loads and validates a Pigsty inventory; every problem found is reported with file, line and field.</summary>
public static partial class InventoryLoader
{
    /// <summary>Modules whose members are groups that set <c>&lt;kind&gt;_cluster</c>, with hosts numbered by <c>&lt;kind&gt;_seq</c>.</summary>
    public static IReadOnlyList<string> MemberClusterKinds { get; } = ["etcd", "minio"];

    /// <summary>Reads and validates an inventory file.</summary>
    public static async Task<PigstyInventory> LoadAsync(string path, CancellationToken cancellationToken) =>
        Build(await YamlReader.LoadAsync(path, cancellationToken), path);

    /// <summary>Parses and validates inventory text; <paramref name="source"/> names it in errors.</summary>
    public static PigstyInventory Parse(string text, string source) => Build(YamlReader.Parse(text, source), source);

    /// <summary>Validates an already parsed (and possibly rewritten) YAML tree.</summary>
    public static PigstyInventory FromYaml(YamlValue root, string source) => Build(root, source);

    private static PigstyInventory Build(YamlValue root, string source)
    {
        var problems = new ProblemList();
        var all = (root as YamlMapping)?.Find("all") as YamlMapping
            ?? throw root.Error("expected a mapping with the key 'all' holding a mapping (Pigsty's pigsty.yml layout)");
        CheckKeys(all, problems, "children", "hosts", "vars");
        var globals = Vars(all, problems);
        var groups = new List<InventoryGroup>();
        var hostEntries = new List<(string Group, YamlEntry Entry, IPAddress Address)>();
        ReadHosts(all, "all", hostEntries, problems);
        if (all.Find("children") is { } children)
        {
            foreach (var child in Mapping(children, problems)?.Entries ?? [])
            {
                problems.Run(() => groups.Add(ReadGroup(child, globals, hostEntries, problems)));
            }
        }

        var hosts = MergeHosts(hostEntries, groups, globals);
        var adminIp = problems.Run(() => Ip(globals.Require("admin_ip",
            "Pigsty needs the admin node's IP address in all.vars")));
        var identity = new IdentityReader(groups, hosts, problems);
        var inventory = new PigstyInventory(source, adminIp ?? IPAddress.None, globals, groups, hosts,
            identity.Infra(), MemberClusterKinds.ToDictionary(k => k, identity.Clusters, StringComparer.Ordinal), identity.PgClusters());
        return problems.Count == 0 ? inventory : throw new InputException(problems.Sorted());
    }

    private static InventoryGroup ReadGroup(YamlEntry entry, VarSet globals,
        List<(string Group, YamlEntry Entry, IPAddress Address)> hostEntries, ProblemList problems)
    {
        var path = entry.Value.Path;
        if (!GroupName().IsMatch(entry.Key))
        {
            throw new InputException(new InputProblem(entry.KeyLocation, path,
                $"'{entry.Key}' is not a valid group name (letters, digits, '-' and '_')"));
        }

        var body = entry.Value is YamlScalar { IsNull: true }
            ? new YamlMapping(entry.KeyLocation, path, [])
            : entry.Value.AsMapping();
        CheckKeys(body, problems, "hosts", "vars");
        if (body.Find("children") is { } nested)
        {
            problems.Add(nested.Error("nested groups are not supported; list hosts in top-level groups under all.children"));
        }

        var before = hostEntries.Count;
        ReadHosts(body, entry.Key, hostEntries, problems);
        var addresses = hostEntries.Skip(before).Select(h => h.Address).ToList();
        var vars = globals.With(OwnVars(body, problems), entry.KeyLocation, YamlReader.ChildPath(path, "vars"));
        return new InventoryGroup(entry.Key, entry.KeyLocation, path, addresses, vars);
    }

    private static void ReadHosts(YamlMapping owner, string group,
        List<(string Group, YamlEntry Entry, IPAddress Address)> hostEntries, ProblemList problems)
    {
        if (owner.Find("hosts") is not { } hosts)
        {
            return;
        }

        foreach (var host in Mapping(hosts, problems)?.Entries ?? [])
        {
            if (!IpAddresses.TryParse(host.Key, out var address))
            {
                problems.Add(new InputProblem(host.KeyLocation, host.Value.Path,
                    $"'{host.Key}' is not an IP address; Pigsty names each node by its primary IP"));
                continue;
            }

            if (host.Value is not YamlScalar { IsNull: true } && host.Value is not YamlMapping)
            {
                problems.Add(host.Value.Error($"expected a mapping of host variables, got {host.Value.Kind}"));
                continue;
            }

            hostEntries.Add((group, host, address));
        }
    }

    /// <summary>Host variables win over group variables, which win over all.vars; groups merge in name order.</summary>
    private static List<InventoryHost> MergeHosts(List<(string Group, YamlEntry Entry, IPAddress Address)> hostEntries,
        List<InventoryGroup> groups, VarSet globals)
    {
        var hosts = new List<InventoryHost>();
        foreach (var byAddress in hostEntries.GroupBy(h => h.Address))
        {
            var first = byAddress.First().Entry;
            var memberOf = byAddress.Select(h => h.Group).Where(g => g != "all").Distinct().Order(StringComparer.Ordinal).ToList();
            var vars = globals;
            foreach (var group in groups.Where(g => memberOf.Contains(g.Name)).OrderBy(g => g.Name, StringComparer.Ordinal))
            {
                vars = vars.With(group.Vars.Names.ToDictionary(n => n, n => group.Vars.Find(n)!), first.KeyLocation, first.Value.Path);
            }

            foreach (var (_, entry, _) in byAddress)
            {
                if (entry.Value is YamlMapping own)
                {
                    vars = vars.With(own.Entries.ToDictionary(e => e.Key, e => e.Value), first.KeyLocation, first.Value.Path);
                }
            }

            hosts.Add(new InventoryHost(byAddress.Key, first.KeyLocation, first.Value.Path, memberOf, vars));
        }

        return hosts;
    }

    // A missing variable is reported where the vars mapping is (where it belongs), or at its owner when there is none.
    private static VarSet Vars(YamlMapping owner, ProblemList problems) =>
        VarSet.Empty(owner.Location, owner.Path).With(OwnVars(owner, problems), (owner.Find("vars") as YamlMapping)?.Location ?? owner.Location,
            YamlReader.ChildPath(owner.Path, "vars"));

    private static Dictionary<string, YamlValue> OwnVars(YamlMapping owner, ProblemList problems) =>
        owner.Find("vars") is { } vars && Mapping(vars, problems) is { } mapping
            ? mapping.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)
            : [];

    private static YamlMapping? Mapping(YamlValue value, ProblemList problems)
    {
        if (value is YamlMapping mapping)
        {
            return mapping;
        }

        if (value is not YamlScalar { IsNull: true })
        {
            problems.Add(value.Error($"expected a mapping, got {value.Kind}"));
        }

        return null;
    }

    private static void CheckKeys(YamlMapping mapping, ProblemList problems, params string[] allowed)
    {
        foreach (var entry in mapping.Entries.Where(e => !allowed.Contains(e.Key) && e.Key != "children"))
        {
            problems.Add(new InputProblem(entry.KeyLocation, entry.Value.Path,
                $"unknown key '{entry.Key}' (expected {string.Join(", ", allowed)})"));
        }
    }

    internal static IPAddress Ip(YamlValue value) =>
        IpAddresses.TryParse(value.AsString(), out var address)
            ? address
            : throw value.Error($"'{value.AsString()}' is not an IP address");

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex GroupName();
}

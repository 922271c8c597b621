using System.Net;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>
/// Loads and validates a Pigsty inventory; every problem found is reported with file, line and field. Groups may nest
/// (<c>children</c> at any depth) and a host may be listed in several groups; variables follow Ansible's precedence.
/// </summary>
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
        CheckKeys(all, problems);
        var reader = new GroupReader(problems);
        var globalVars = reader.OwnVars(all, VarScope.All, "all");
        // A missing global is reported where all.vars is (where it belongs), or at 'all' when there is none.
        var globals = VarSet.Empty(all.Location, all.Path).With(globalVars, (all.Find("vars") as YamlMapping)?.Location ?? all.Location,
            YamlReader.ChildPath(all.Path, "vars"));
        reader.ReadHosts(all, "all");
        reader.ReadChildren(all, "all", []);
        var groups = reader.Groups(problems);
        var hosts = MergeHosts(reader.HostEntries, groups, globals);
        var adminIp = problems.Run(() => Ip(globals.Require("admin_ip", "Pigsty needs the admin node's IP address in all.vars")));
        foreach (var host in hosts.Where(h => h.Vars.Find("admin_ip") is not null))
        {
            problems.Run(() => Ip(host.Vars.Find("admin_ip")!));
        }

        var warnings = new List<InputProblem>();
        var identity = new IdentityReader(groups, hosts, problems, warnings);
        var inventory = new PigstyInventory(source, adminIp ?? IPAddress.None, globals, groups, hosts,
            identity.Infra(), MemberClusterKinds.ToDictionary(k => k, identity.Clusters, StringComparer.Ordinal), identity.PgClusters())
        {
            Definitions = reader.Definitions,
            Warnings = warnings.Distinct().OrderBy(w => w.Location.Line).ThenBy(w => w.Location.Column).ToList(),
        };
        return problems.Count == 0 ? inventory : throw new InputException(problems.Sorted());
    }

    /// <summary>
    /// Ansible's rule: all.vars lowest; then every group of the host (its own and their parents) by depth, then by name;
    /// then the host's own variables (a host listed twice merges them in file order).
    /// </summary>
    private static List<InventoryHost> MergeHosts(IReadOnlyList<HostEntry> hostEntries, IReadOnlyList<InventoryGroup> groups, VarSet globals)
    {
        var byName = groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var hosts = new List<InventoryHost>();
        foreach (var byAddress in hostEntries.GroupBy(h => h.Address))
        {
            var first = byAddress.First().Entry;
            var memberOf = new HashSet<string>(StringComparer.Ordinal);
            foreach (var direct in byAddress.Select(h => h.Group).Where(g => g != "all"))
            {
                AddWithAncestors(direct, byName, memberOf);
            }

            var ordered = memberOf.Select(n => byName[n]).OrderBy(g => g.Depth).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
            var vars = globals;
            foreach (var group in ordered)
            {
                vars = vars.With(group.Vars.Values, first.KeyLocation, first.Value.Path);
            }

            foreach (var entry in byAddress.Select(h => h.Entry))
            {
                if (entry.Value is YamlMapping own)
                {
                    vars = vars.With(own.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), first.KeyLocation, first.Value.Path);
                }
            }

            hosts.Add(new InventoryHost(byAddress.Key, first.KeyLocation, first.Value.Path, ordered.Select(g => g.Name).ToList(), vars));
        }

        return hosts;
    }

    private static void AddWithAncestors(string group, Dictionary<string, InventoryGroup> byName, HashSet<string> memberOf)
    {
        if (byName.TryGetValue(group, out var found) && memberOf.Add(group))
        {
            foreach (var parent in found.Parents)
            {
                AddWithAncestors(parent, byName, memberOf);
            }
        }
    }

    private static void CheckKeys(YamlMapping mapping, ProblemList problems)
    {
        foreach (var entry in mapping.Entries.Where(e => e.Key is not ("children" or "hosts" or "vars")))
        {
            problems.Add(new InputProblem(entry.KeyLocation, entry.Value.Path,
                $"unknown key '{entry.Key}' (expected children, hosts, vars)"));
        }
    }

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

    internal static IPAddress Ip(YamlValue value) =>
        IpAddresses.TryParse(value.AsString(), out var address)
            ? address
            : throw value.Error($"'{value.AsString()}' is not an IP address");

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex GroupName();

    private sealed record HostEntry(string Group, YamlEntry Entry, IPAddress Address);

    /// <summary>Walks <c>children</c> at any depth; a group named in several places is one group (hosts and variables merge).</summary>
    private sealed class GroupReader(ProblemList problems)
    {
        private readonly Dictionary<string, GroupDraft> _groups = new(StringComparer.Ordinal);
        private readonly List<HostEntry> _hostEntries = [];
        private readonly List<VarDefinition> _definitions = [];

        public IReadOnlyList<HostEntry> HostEntries => _hostEntries;

        public IReadOnlyList<VarDefinition> Definitions => _definitions;

        public void ReadChildren(YamlMapping owner, string parent, IReadOnlyList<string> chain)
        {
            if (owner.Find("children") is not { } children)
            {
                return;
            }

            foreach (var entry in Mapping(children, problems)?.Entries ?? [])
            {
                problems.Run(() => ReadGroup(entry, parent, chain));
            }
        }

        private void ReadGroup(YamlEntry entry, string parent, IReadOnlyList<string> chain)
        {
            var path = entry.Value.Path;
            if (!GroupName().IsMatch(entry.Key) || entry.Key == "all")
            {
                throw new InputException(new InputProblem(entry.KeyLocation, path,
                    $"'{entry.Key}' is not a valid group name (letters, digits, '-' and '_'; 'all' is the root)"));
            }

            if (chain.Contains(entry.Key, StringComparer.Ordinal))
            {
                throw new InputException(new InputProblem(entry.KeyLocation, path,
                    $"group '{entry.Key}' is its own ancestor ({string.Join(" > ", chain.Append(entry.Key))})"));
            }

            var body = entry.Value is YamlScalar { IsNull: true }
                ? new YamlMapping(entry.KeyLocation, path, [])
                : entry.Value.AsMapping();
            CheckKeys(body, problems);
            if (!_groups.TryGetValue(entry.Key, out var draft))
            {
                draft = new GroupDraft(entry.Key, entry.KeyLocation, path);
                _groups[entry.Key] = draft;
            }

            if (parent != "all" && !draft.Parents.Contains(parent, StringComparer.Ordinal))
            {
                draft.Parents.Add(parent);
            }

            var before = _hostEntries.Count;
            ReadHosts(body, entry.Key);
            draft.Hosts.AddRange(_hostEntries.Skip(before).Select(h => h.Address).Where(a => !draft.Hosts.Contains(a)));
            foreach (var (name, value) in OwnVars(body, VarScope.Group, entry.Key))
            {
                draft.Vars[name] = value;
            }

            draft.VarsPath ??= body.Find("vars") is null ? null : YamlReader.ChildPath(path, "vars");
            ReadChildren(body, entry.Key, [.. chain, entry.Key]);
        }

        public void ReadHosts(YamlMapping owner, string group)
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

                _hostEntries.Add(new HostEntry(group, host, address));
                foreach (var variable in (host.Value as YamlMapping)?.Entries ?? [])
                {
                    _definitions.Add(new VarDefinition(variable.Key, variable.KeyLocation, variable.Value, VarScope.Host, address.ToString()));
                }
            }
        }

        public Dictionary<string, YamlValue> OwnVars(YamlMapping owner, VarScope scope, string name)
        {
            if (owner.Find("vars") is not { } vars || Mapping(vars, problems) is not { } mapping)
            {
                return new Dictionary<string, YamlValue>(StringComparer.Ordinal);
            }

            foreach (var variable in mapping.Entries)
            {
                _definitions.Add(new VarDefinition(variable.Key, variable.KeyLocation, variable.Value, scope, name));
            }

            return mapping.Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        }

        /// <summary>The groups with Ansible's depth: one below the deepest parent (top-level groups are 1, <c>all</c> is 0).</summary>
        public IReadOnlyList<InventoryGroup> Groups(ProblemList problems)
        {
            var depths = new Dictionary<string, int>(StringComparer.Ordinal);
            int Depth(GroupDraft draft, int guard)
            {
                if (depths.TryGetValue(draft.Name, out var known))
                {
                    return known;
                }

                // A cycle through groups defined in separate places is reported by ReadGroup when it nests; this guard only stops recursion.
                var depth = guard > _groups.Count ? 1
                    : 1 + draft.Parents.Select(p => _groups.TryGetValue(p, out var parent) ? Depth(parent, guard + 1) : 0).DefaultIfEmpty(0).Max();
                depths[draft.Name] = depth;
                return depth;
            }

            var cyclic = _groups.Values.FirstOrDefault(g => Reaches(g, g.Name, []));
            if (cyclic is not null)
            {
                problems.Add(new InputProblem(cyclic.Location, cyclic.Path, $"group '{cyclic.Name}' is its own ancestor"));
                return [];
            }

            return _groups.Values.Select(g => new InventoryGroup(g.Name, g.Location, g.Path, Depth(g, 0), g.Parents.ToList(), g.Hosts,
                VarSet.Empty(g.Location, g.Path).With(g.Vars, g.Location, g.VarsPath ?? YamlReader.ChildPath(g.Path, "vars")))).ToList();
        }

        private bool Reaches(GroupDraft from, string target, HashSet<string> seen) =>
            from.Parents.Any(p => p == target || (seen.Add(p) && _groups.TryGetValue(p, out var parent) && Reaches(parent, target, seen)));
    }

    private sealed class GroupDraft(string name, SourceLocation location, string path)
    {
        public string Name { get; } = name;

        public SourceLocation Location { get; } = location;

        public string Path { get; } = path;

        public string? VarsPath { get; set; }

        public List<string> Parents { get; } = [];

        public List<IPAddress> Hosts { get; } = [];

        public Dictionary<string, YamlValue> Vars { get; } = new(StringComparer.Ordinal);
    }
}

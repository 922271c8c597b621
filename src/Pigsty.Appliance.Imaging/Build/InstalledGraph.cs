using Pigsty.Appliance.Bundler.Resolve;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>
/// The dependency graph of the packages installed in a tree, as its own dpkg database records it: Depends and Pre-Depends, each
/// alternative or virtual name standing for whichever installed package answers it.
/// </summary>
/// <remarks>
/// The image uses it to tell the packages a preinstall pulled in from those the base system has anyway: Debian's nginx enables
/// nginx.service from nginx-common and postgresql-15 enables postgresql.service from postgresql-common, and neither unit belongs to a
/// package the modules name.
/// </remarks>
public sealed class InstalledGraph
{
    /// <summary>The dpkg-query format <see cref="Parse"/> reads.</summary>
    public const string QueryFormat = "${Package}\t${Status}\t${Pre-Depends}\t${Depends}\t${Provides}\t${Priority}\t${Essential}\n";

    private readonly Dictionary<string, IReadOnlyList<RelationGroup>> dependencies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> providers = new(StringComparer.Ordinal);
    private readonly List<string> required = [];

    /// <summary>The installed packages that are Essential or of Priority required: a minbase bootstrap has them whatever it was asked for.</summary>
    public IReadOnlyList<string> Required => required;

    /// <summary>Reads <c>dpkg-query --show --showformat=</c><see cref="QueryFormat"/>; packages not fully installed are left out.</summary>
    public static InstalledGraph Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var graph = new InstalledGraph();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length != 7)
            {
                throw new FormatException($"dpkg-query: expected 7 tab-separated fields, got {fields.Length}: '{line}'");
            }

            if (!fields[1].EndsWith(" installed", StringComparison.Ordinal))
            {
                continue;
            }

            var name = fields[0];
            graph.dependencies[name] = Groups(name, "Pre-Depends", fields[2]).Concat(Groups(name, "Depends", fields[3])).ToList();
            graph.Provide(name, name);
            if (fields[5] == "required" || fields[6] == "yes")
            {
                graph.required.Add(name);
            }

            foreach (var provided in Groups(name, "Provides", fields[4]).SelectMany(g => g.Alternatives))
            {
                graph.Provide(provided.Name, name);
            }
        }

        return graph;
    }

    /// <summary>Every installed package reachable from <paramref name="roots"/> (the installed roots included; others are ignored).</summary>
    public IReadOnlySet<string> ClosureOf(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(roots.Where(dependencies.ContainsKey));
        while (queue.TryDequeue(out var package))
        {
            if (!seen.Add(package))
            {
                continue;
            }

            foreach (var group in dependencies[package])
            {
                // The first alternative that something installed answers is the one dpkg was satisfied by.
                var answer = group.Alternatives.Select(a => providers.GetValueOrDefault(a.Name)).FirstOrDefault(p => p is not null);
                foreach (var next in answer ?? [])
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }

    private void Provide(string name, string package)
    {
        if (!providers.TryGetValue(name, out var list))
        {
            providers[name] = list = [];
        }

        list.Add(package);
    }

    private static IReadOnlyList<RelationGroup> Groups(string package, string field, string text) =>
        RelationParser.TryParseGroups(text, out var groups, out var error)
            ? groups
            : throw new FormatException($"dpkg-query: {package}: {field}: {error}");
}

using System.Runtime.CompilerServices;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>Every package version the resolver may choose from, indexed by name and by provided (virtual) name.</summary>
public sealed class PackageUniverse
{
    private readonly Dictionary<string, List<UniversePackage>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ProvidedBy>> _providers = new(StringComparer.Ordinal);

    /// <summary>Indexes the packages of one architecture (plus <c>all</c>); the first source listing a name=version/arch wins.</summary>
    /// <remarks>Versions are parsed when first compared; an invalid one (never from <see cref="PackagesParser"/>) throws then.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PackageUniverse(IEnumerable<IndexedPackage> packages, string architecture = "amd64")
    {
        ArgumentNullException.ThrowIfNull(packages);
        Architecture = architecture;
        foreach (var record in packages)
        {
            if ((record.Architecture != architecture && record.Architecture != "all") || IsDuplicate(record))
            {
                continue;
            }

            IReadOnlyList<Relation> provides = [];
            if (record.Relation("Provides") is { } providesText && !RelationParser.TryParseProvides(providesText, out provides!, out var error))
            {
                throw new UpstreamException($"{record.Source.Upstream} {record.Source.Suite}: package {record}: malformed Provides: {error}");
            }

            var package = new UniversePackage(record, provides);
            if (!_byName.TryGetValue(record.Name, out var sameName))
            {
                _byName[record.Name] = sameName = new List<UniversePackage>(1);
            }

            sameName.Add(package);
            foreach (var provided in provides)
            {
                Add(_providers, provided.Name, new ProvidedBy(package, provided.Constraint?.Version));
            }

            Count++;
        }

        // Highest version first (the candidate), native architecture before 'all', then the order sources were given in.
        foreach (var versions in _byName.Values)
        {
            if (versions.Count > 1)
            {
                var ordered = versions.Select((p, i) => (p, i))
                    .OrderByDescending(x => x.p.Version)
                    .ThenBy(x => x.p.Architecture == architecture ? 0 : 1)
                    .ThenBy(x => x.i)
                    .Select(x => x.p)
                    .ToList();
                versions.Clear();
                versions.AddRange(ordered);
            }
        }
    }

    /// <summary>The same name=version/arch from a later source (e.g. a point release also in -updates) adds nothing.</summary>
    private bool IsDuplicate(IndexedPackage record)
    {
        if (!_byName.TryGetValue(record.Name, out var versions))
        {
            return false;
        }

        foreach (var version in versions)
        {
            if (version.Entry.Version == record.Version && version.Architecture == record.Architecture)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The target architecture.</summary>
    public string Architecture { get; }

    /// <summary>How many package versions the universe holds.</summary>
    public int Count { get; }

    /// <summary>Every real package name.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The versions of a real package, highest (the candidate) first; empty when no package has that name.</summary>
    public IReadOnlyList<UniversePackage> Versions(string name) =>
        _byName.TryGetValue(name, out var versions) ? versions : [];

    /// <summary>The packages whose Provides names <paramref name="name"/>, in index order.</summary>
    public IReadOnlyList<ProvidedBy> Providers(string name) =>
        _providers.TryGetValue(name, out var providers) ? providers : [];

    /// <summary>The candidate (highest) version of every package that is <c>Essential: yes</c> or <c>Priority: required</c>, by name.</summary>
    public IReadOnlyList<UniversePackage> RequiredBase() =>
        _byName.Values.Select(v => v[0])
            .Where(p => p.Essential || p.Priority == "required")
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Up to <paramref name="max"/> real or virtual names close to <paramref name="name"/> (typos, missing version suffix).</summary>
    public IReadOnlyList<string> SimilarNames(string name, int max = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        var limit = Math.Max(1, name.Length / 4);
        return _byName.Keys.Concat(_providers.Keys)
            .Select(candidate => (candidate, distance: Distance(name, candidate, limit)))
            .Where(x => x.distance <= limit || x.candidate.StartsWith(name + "-", StringComparison.Ordinal))
            .OrderBy(x => x.distance)
            .ThenBy(x => x.candidate, StringComparer.Ordinal)
            .Select(x => x.candidate)
            .Distinct(StringComparer.Ordinal)
            .Take(max)
            .ToList();
    }

    private static void Add<T>(Dictionary<string, List<T>> index, string key, T value)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>Levenshtein distance, giving up (returning limit + 1) when the lengths alone exceed the limit.</summary>
    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1 + Math.Abs(a.Length - b.Length);
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

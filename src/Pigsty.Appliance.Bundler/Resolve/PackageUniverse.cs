using System.Runtime.CompilerServices;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>Every package version the resolver may choose from, indexed by name and by provided (virtual) name.</summary>
/// <remarks>
/// It keeps, per package, where its paragraph is and hashes of its name and provided names (sorted, searched by halving); the
/// packages of a name are read back from their index the first time the resolver asks for that name, then kept. A name whose hash
/// another name shares is told apart by the paragraph read back.
/// </remarks>
public sealed class PackageUniverse
{
    private readonly List<Entry> _entries = [];
    private readonly (ulong Hash, int Entry)[] _names;
    private readonly (ulong Hash, int Entry)[] _provided;
    private readonly Dictionary<string, IReadOnlyList<UniversePackage>> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ProvidedBy>> _providers = new(StringComparer.Ordinal);

    /// <summary>Indexes the packages of one architecture (plus <c>all</c>); the first source listing a name=version/arch wins.</summary>
    /// <remarks>Versions are parsed when first compared; an invalid one (never from <see cref="PackagesParser"/>) throws then.</remarks>
    public PackageUniverse(IEnumerable<IndexedPackage> packages, string architecture = "amd64")
        : this([packages ?? throw new ArgumentNullException(nameof(packages))], architecture)
    {
    }

    /// <summary>Indexes several indexes in order; a <see cref="PackageList"/> is indexed from its slots, without reading any paragraph back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PackageUniverse(IEnumerable<IEnumerable<IndexedPackage>> lists, string architecture = "amd64")
    {
        ArgumentNullException.ThrowIfNull(lists);
        Architecture = architecture;
        var names = new List<(ulong, int)>();
        var provided = new List<(ulong, int)>();
        foreach (var list in lists)
        {
            if (list is PackageList slots)
            {
                for (var i = 0; i < slots.Count; i++)
                {
                    if (Matches(slots.ArchitectureAt(i)))
                    {
                        var (offset, length, key) = slots.PlaceAt(i);
                        Add(new Entry(slots.File, offset, length, key, slots.RequiredAt(i)), slots.NameHashAt(i), slots.ProvidesAt(i), names, provided);
                    }
                }

                continue;
            }

            foreach (var package in list)
            {
                if (Matches(package.Architecture))
                {
                    var (offset, length) = package.Place;
                    var entry = new Entry(package.File, offset, length, PackageList.KeyHash(package.Name, package.Version, package.Architecture),
                        package.Essential || package.Priority == "required");
                    Add(entry, PackageList.NameHash(package.Name), package.Relation("Provides"), names, provided);
                }
            }
        }

        _names = [.. names];
        _provided = [.. provided];
        Array.Sort(_names);
        Array.Sort(_provided);
    }

    private bool Matches(string architecture) => architecture == Architecture || architecture == "all";

    private void Add(Entry entry, ulong nameHash, string? provides, List<(ulong, int)> names, List<(ulong, int)> provided)
    {
        var index = _entries.Count;
        _entries.Add(entry);
        names.Add((nameHash, index));
        foreach (var relation in ParseProvides(entry, provides))
        {
            provided.Add((PackageList.NameHash(relation.Name), index));
        }
    }

    private static IReadOnlyList<Relation> ParseProvides(Entry entry, string? text)
    {
        if (text is null)
        {
            return [];
        }

        if (!RelationParser.TryParseProvides(text, out var provides, out var error))
        {
            var package = entry.Read();
            throw new UpstreamException($"{package.Source.Upstream} {package.Source.Suite}: package {package}: malformed Provides: {error}");
        }

        return provides;
    }

    /// <summary>The target architecture.</summary>
    public string Architecture { get; }

    /// <summary>How many package versions of the architecture the indexes list (one listed by two sources counts twice).</summary>
    public int Count => _entries.Count;

    /// <summary>The versions of a real package, highest (the candidate) first; empty when no package has that name.</summary>
    public IReadOnlyList<UniversePackage> Versions(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_versions.TryGetValue(name, out var known))
        {
            return known;
        }

        var versions = new List<UniversePackage>();
        foreach (var index in Find(_names, PackageList.NameHash(name)))
        {
            var entry = _entries[index];
            var record = entry.Read();

            // The same name=version/arch from a later source (e.g. a point release also in -updates) adds nothing.
            if (record.Name == name && !versions.Exists(v => v.Entry.Version == record.Version && v.Architecture == record.Architecture))
            {
                versions.Add(new UniversePackage(record, ParseProvides(entry, record.Relation("Provides"))));
            }
        }

        // Highest version first (the candidate), native architecture before 'all', then the order sources were given in.
        IReadOnlyList<UniversePackage> ordered = versions.Count < 2 ? versions : versions.Select((p, i) => (p, i))
            .OrderByDescending(x => x.p.Version)
            .ThenBy(x => x.p.Architecture == Architecture ? 0 : 1)
            .ThenBy(x => x.i)
            .Select(x => x.p)
            .ToList();
        _versions[name] = ordered;
        return ordered;
    }

    /// <summary>The packages whose Provides names <paramref name="name"/>, in index order.</summary>
    public IReadOnlyList<ProvidedBy> Providers(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_providers.TryGetValue(name, out var known))
        {
            return known;
        }

        var providers = new List<ProvidedBy>();
        var previous = -1;
        foreach (var index in Find(_provided, PackageList.NameHash(name)))
        {
            if (index == previous)
            {
                continue;
            }

            previous = index;
            var entry = _entries[index];
            var package = Versions(entry.Read().Name).FirstOrDefault(v => entry.Is(v.Entry));
            foreach (var relation in package?.Provides ?? [])
            {
                if (relation.Name == name)
                {
                    providers.Add(new ProvidedBy(package!, relation.Constraint?.Version));
                }
            }
        }

        _providers[name] = providers;
        return providers;
    }

    /// <summary>The candidate (highest) version of every package that is <c>Essential: yes</c> or <c>Priority: required</c>, by name.</summary>
    public IReadOnlyList<UniversePackage> RequiredBase() =>
        _entries.Where(e => e.Required)
            .Select(e => e.Read().Name)
            .Distinct(StringComparer.Ordinal)
            .Select(name => Versions(name)[0])
            .Where(p => p.Essential || p.Priority == "required")
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Every real and provided name, read back from the indexes (for suggestions after a failed lookup).</summary>
    private IEnumerable<string> AllNames()
    {
        foreach (var entry in _entries)
        {
            var package = entry.Read();
            yield return package.Name;
            foreach (var relation in ParseProvides(entry, package.Relation("Provides")))
            {
                yield return relation.Name;
            }
        }
    }

    /// <summary>The entries whose hash is <paramref name="hash"/>, in index order.</summary>
    private static IEnumerable<int> Find((ulong Hash, int Entry)[] sorted, ulong hash)
    {
        var low = 0;
        var high = sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (sorted[middle].Hash < hash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var i = low; i < sorted.Length && sorted[i].Hash == hash; i++)
        {
            yield return sorted[i].Entry;
        }
    }

    /// <summary>Up to <paramref name="max"/> real or virtual names close to <paramref name="name"/> (typos, missing version suffix).</summary>
    public IReadOnlyList<string> SimilarNames(string name, int max = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        var limit = Math.Max(1, name.Length / 4);
        return AllNames()
            .Distinct(StringComparer.Ordinal)
            .Select(candidate => (candidate, distance: Distance(name, candidate, limit)))
            .Where(x => x.distance <= limit || x.candidate.StartsWith(name + "-", StringComparison.Ordinal))
            .OrderBy(x => x.distance)
            .ThenBy(x => x.candidate, StringComparer.Ordinal)
            .Select(x => x.candidate)
            .Take(max)
            .ToList();
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

    /// <summary>One package of the universe: where its paragraph is, and the hash of <c>name=version/arch</c> it must still have.</summary>
    private readonly record struct Entry(PackagesFile File, long Offset, int Length, ulong Key, bool Required)
    {
        public IndexedPackage Read() => IndexedPackage.ReadBack(File, Offset, Length, Key);

        public bool Is(IndexedPackage package) => ReferenceEquals(package.File, File) && package.Place.Offset == Offset;
    }
}

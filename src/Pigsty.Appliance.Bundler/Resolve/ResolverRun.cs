using Pigsty.Appliance.Bundler.Versions;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>One pass of the resolver: greedy like apt (hard single choices first, alternatives later), with conflict checks on every pick.</summary>
internal sealed class ResolverRun(PackageUniverse universe, ResolveRequest request, HashSet<UniversePackage> avoided, bool allowBacktrack)
{
    private static readonly RelationKind[] ConflictKinds = [RelationKind.Conflicts, RelationKind.Breaks];
    private static readonly string[] PriorityOrder = ["required", "important", "standard", "optional", "extra"];

    private readonly string _architecture = universe.Architecture;
    private readonly Dictionary<string, SelectionNode> _selected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(SelectionNode Node, DebianVersion? Version)>> _provided = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(SelectionNode Node, Relation Relation, RelationKind Kind)>> _conflictsOn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<VersionConstraint>> _pendingConstraints = new(StringComparer.Ordinal);
    private readonly Queue<PendingRelation> _determined = new();
    private readonly Queue<PendingRelation> _choices = new();
    private readonly List<string> _notes = [];

    /// <summary>After <see cref="Execute"/> returned null: the chosen package to avoid on the next pass.</summary>
    public UniversePackage? Culprit { get; private set; }

    /// <summary>The resolution, or null when a conflict with an earlier choice asks for another pass avoiding <see cref="Culprit"/>.</summary>
    public Resolution? Execute()
    {
        foreach (var wanted in request.Packages)
        {
            SelectRoot(wanted);
        }

        if (request.IncludeRequiredBase)
        {
            foreach (var package in universe.RequiredBase())
            {
                if (_selected.ContainsKey(package.Name) || avoided.Contains(package))
                {
                    continue;
                }

                if (Conflict(package) is { } conflict)
                {
                    _notes.Add($"required base package {package} left out: it conflicts with {conflict.Node.Package} ({conflict.Text})");
                    continue;
                }

                Select(package, SelectionKind.RequiredBase, null, null, null, chosen: false, followRecommends: false);
            }
        }

        // Relations with one possible answer first, so that alternatives and virtual packages see as much of the selection as possible.
        while (_determined.Count > 0 || _choices.Count > 0)
        {
            var pending = _determined.Count > 0 ? _determined.Dequeue() : _choices.Dequeue();
            if (!Satisfy(pending))
            {
                return null;
            }
        }

        return new Resolution(
            _selected.Values
                .OrderBy(n => n.Package.Name, StringComparer.Ordinal)
                .ThenBy(n => n.Package.Architecture, StringComparer.Ordinal)
                .Select(n => new ResolvedPackage(n.Package.Entry, n.Kind, n.Parent?.Package.Name, n.Relation, n.Note, n.Chain()))
                .ToList(),
            _notes);
    }

    private void SelectRoot(PackageRequest wanted)
    {
        if (_selected.TryGetValue(wanted.Name, out var existing))
        {
            existing.FollowRecommends |= wanted.WithRecommends;
            return;
        }

        var relation = new Relation(wanted.Name, null, null, []);
        if (Satisfier(relation) is { } provider)
        {
            Upgrade(provider, wanted.WithRecommends);
            return;
        }

        var candidates = Candidates(relation, out var note);
        if (candidates.Count == 0)
        {
            var similar = universe.SimilarNames(wanted.Name);
            throw new ResolutionException(wanted.Name, [wanted.Name],
                $"requested package '{wanted.Name}' does not exist in the indexes" +
                (similar.Count > 0 ? $" (did you mean {string.Join(", ", similar)}?)" : ""));
        }

        var problems = new List<string>();
        foreach (var candidate in candidates)
        {
            if (avoided.Contains(candidate))
            {
                problems.Add($"{candidate} conflicted with another choice in an earlier pass");
                continue;
            }

            if (Conflict(candidate) is { } conflict)
            {
                problems.Add($"{candidate} conflicts with {conflict.Node.Package} ({conflict.Text}, {Describe(conflict.Node)})");
                continue;
            }

            Select(candidate, SelectionKind.Requested, null, null, note, chosen: false, followRecommends: wanted.WithRecommends);
            return;
        }

        throw new ResolutionException(wanted.Name, [wanted.Name],
            $"requested package '{wanted.Name}' cannot be installed with the other requests: {string.Join("; ", problems)}");
    }

    private void Select(UniversePackage package, SelectionKind kind, SelectionNode? parent, string? relation, string? note, bool chosen,
        bool followRecommends)
    {
        var node = new SelectionNode(package, kind, parent, relation, note, chosen) { FollowRecommends = followRecommends };
        _selected[package.Name] = node;
        foreach (var provided in package.Provides)
        {
            Add(_provided, provided.Name, (node, provided.Constraint?.Version));
        }

        foreach (var conflictKind in ConflictKinds)
        {
            foreach (var group in package.Relations(conflictKind))
            {
                foreach (var conflict in group.Alternatives.Where(r => r.AppliesTo(_architecture)))
                {
                    Add(_conflictsOn, conflict.Name, (node, conflict, conflictKind));
                }
            }
        }

        Enqueue(node);
    }

    private void Enqueue(SelectionNode node)
    {
        RelationKind[] kinds = node.FollowRecommends
            ? [RelationKind.PreDepends, RelationKind.Depends, RelationKind.Recommends]
            : [RelationKind.PreDepends, RelationKind.Depends];
        foreach (var kind in kinds)
        {
            foreach (var group in node.Package.Relations(kind))
            {
                var applicable = group.Alternatives.Where(r => r.AppliesTo(_architecture)).ToList();
                if (applicable.Count == 0)
                {
                    continue;
                }

                var pending = new PendingRelation(node, kind, applicable.Count == group.Alternatives.Count ? group : new RelationGroup(applicable));
                var isChoice = applicable.Count > 1 || universe.Versions(applicable[0].Name).Count == 0;
                if (!isChoice && kind != RelationKind.Recommends && applicable[0].Constraint is { } constraint)
                {
                    Add(_pendingConstraints, applicable[0].Name, constraint);
                }

                (isChoice ? _choices : _determined).Enqueue(pending);
            }
        }
    }

    /// <summary>Once a package is reached from a request that follows Recommends, its subtree follows them too.</summary>
    private void Upgrade(SelectionNode node, bool followRecommends)
    {
        if (followRecommends && !node.FollowRecommends)
        {
            node.FollowRecommends = true;
            Enqueue(node);
        }
    }

    /// <summary>Satisfies one relation group; false when a pass must restart avoiding <see cref="Culprit"/>.</summary>
    private bool Satisfy(PendingRelation pending)
    {
        var (owner, kind, group) = pending;
        foreach (var alternative in group.Alternatives)
        {
            if (Satisfier(alternative) is { } existing)
            {
                Upgrade(existing, owner.FollowRecommends);
                return true;
            }
        }

        var problems = new List<string>();
        SelectionNode? blocker = null;
        foreach (var alternative in group.Alternatives)
        {
            var candidates = Candidates(alternative, out var providerNote);
            if (candidates.Count == 0)
            {
                problems.Add(Unavailable(alternative));
                continue;
            }

            foreach (var candidate in candidates)
            {
                if (avoided.Contains(candidate))
                {
                    problems.Add($"{candidate} conflicted with another choice in an earlier pass");
                    continue;
                }

                if (_selected.TryGetValue(candidate.Name, out var same))
                {
                    problems.Add($"{same.Package} is already selected ({Describe(same)}) and does not satisfy {alternative}");
                    blocker ??= same;
                    continue;
                }

                if (Conflict(candidate) is { } conflict)
                {
                    problems.Add($"{candidate} conflicts with {conflict.Node.Package} ({conflict.Text}, {Describe(conflict.Node)})");
                    blocker ??= conflict.Node.Chosen ? conflict.Node : null;
                    continue;
                }

                var note = Note(group, alternative, candidate, providerNote);
                Select(candidate, ToSelectionKind(kind), owner, group.ToString(), note,
                    chosen: group.Alternatives.Count > 1 || providerNote is not null, owner.FollowRecommends);
                return true;
            }
        }

        if (kind == RelationKind.Recommends)
        {
            _notes.Add($"{owner.Package.Name} recommends {group}, left out: {string.Join("; ", problems)}");
            return true;
        }

        if (blocker is not null && allowBacktrack)
        {
            Culprit = blocker.Package;
            return false;
        }

        var chain = owner.Chain();
        var name = group.Alternatives[0].Name;
        throw new ResolutionException(name, [.. chain, name],
            $"{string.Join(" → ", chain)} → {group} : {string.Join("; ", problems.Distinct(StringComparer.Ordinal))}");
    }

    private string? Note(RelationGroup group, Relation alternative, UniversePackage candidate, string? providerNote)
    {
        var parts = new List<string>();
        if (group.Alternatives.Count > 1)
        {
            var index = group.Alternatives.ToList().IndexOf(alternative);
            parts.Add(index == 0 ? $"first alternative of '{group}'" : $"alternative {index + 1} of '{group}' (earlier ones not installable)");
        }

        if (providerNote is not null)
        {
            parts.Add(providerNote.Replace("{chosen}", candidate.Name, StringComparison.Ordinal));
        }

        if (providerNote is not null && providerNote.Contains("several", StringComparison.Ordinal))
        {
            _notes.Add($"{candidate.Name}: {parts[^1]}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>The selected package satisfying <paramref name="relation"/> (by name or through Provides), or null.</summary>
    private SelectionNode? Satisfier(Relation relation)
    {
        if (_selected.TryGetValue(relation.Name, out var node) && ArchitectureMatches(relation, node.Package)
            && (relation.Constraint?.IsSatisfiedBy(node.Package.Version) ?? true))
        {
            return node;
        }

        if (_provided.TryGetValue(relation.Name, out var providers))
        {
            foreach (var (provider, version) in providers)
            {
                if (ProvisionMatches(relation, version))
                {
                    return provider;
                }
            }
        }

        return null;
    }

    /// <summary>Packages that could satisfy <paramref name="relation"/>, best first: the real package (highest version first), then providers.</summary>
    /// <param name="providerNote">Set when providers are among the candidates: how they were ordered, with <c>{chosen}</c> for the pick.</param>
    private List<UniversePackage> Candidates(Relation relation, out string? providerNote)
    {
        // Versions that also meet the other hard constraints already known on this name come first (e.g. "lib (>= 2), lib (<< 3)").
        var pending = _pendingConstraints.GetValueOrDefault(relation.Name);
        var candidates = universe.Versions(relation.Name)
            .Where(p => ArchitectureMatches(relation, p) && (relation.Constraint?.IsSatisfiedBy(p.Version) ?? true))
            .OrderBy(p => pending is not null && pending.All(c => c.IsSatisfiedBy(p.Version)) ? 0 : 1)
            .ToList();
        var providers = universe.Providers(relation.Name)
            .Where(p => ProvisionMatches(relation, p.Version) && !string.Equals(p.Package.Name, relation.Name, StringComparison.Ordinal))
            .Select(p => p.Package)
            .OrderBy(p => Rank(p.Priority))
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ThenByDescending(p => p.Version)
            .ToList();
        providerNote = null;
        if (providers.Count > 0 && candidates.Count == 0)
        {
            var names = providers.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();
            providerNote = names.Count == 1
                ? $"{{chosen}} provides {relation.Name}"
                : $"{relation.Name} is virtual and several packages provide it ({string.Join(", ", names.Take(6))}{(names.Count > 6 ? ", …" : "")}); " +
                  "chose {chosen} (highest Priority, then first by name)";
        }

        candidates.AddRange(providers);
        return candidates;
    }

    private string Unavailable(Relation relation)
    {
        var versions = universe.Versions(relation.Name);
        if (versions.Count == 0)
        {
            var providers = universe.Providers(relation.Name);
            if (providers.Count > 0 && relation.Constraint is not null)
            {
                return $"no provider of {relation.Name} satisfies {relation.Constraint} (provided: " +
                       $"{string.Join(", ", providers.Select(p => p.Version is null ? $"{p.Package.Name} unversioned" : $"{p.Package.Name} = {p.Version}"))})";
            }

            return $"no package named {relation.Name}";
        }

        var available = string.Join(", ", versions.Select(v => v.Version.ToString()));
        if (relation.ArchQualifier is not null && !versions.Any(v => ArchitectureMatches(relation, v)))
        {
            return relation.ArchQualifier == "any"
                ? $"{relation.Name} is not Multi-Arch: allowed, so {relation.Name}:any cannot be satisfied"
                : $"no {relation.Name} for architecture {relation.ArchQualifier}";
        }

        return $"no version of {relation.Name} satisfies {relation.Constraint} (available: {available})";
    }

    /// <summary>The first selected package that <paramref name="candidate"/> conflicts with or that conflicts with it (Conflicts or Breaks).</summary>
    private (SelectionNode Node, string Text)? Conflict(UniversePackage candidate)
    {
        foreach (var kind in ConflictKinds)
        {
            foreach (var group in candidate.Relations(kind))
            {
                foreach (var relation in group.Alternatives.Where(r => r.AppliesTo(_architecture)))
                {
                    if (_selected.TryGetValue(relation.Name, out var node) && node.Package.Name != candidate.Name
                        && (relation.Constraint?.IsSatisfiedBy(node.Package.Version) ?? true))
                    {
                        return (node, $"{candidate.Name} {UniversePackage.FieldName(kind)}: {relation}");
                    }

                    if (_provided.TryGetValue(relation.Name, out var providers))
                    {
                        foreach (var (provider, version) in providers)
                        {
                            if (provider.Package.Name != candidate.Name && ProvisionMatches(relation, version))
                            {
                                return (provider, $"{candidate.Name} {UniversePackage.FieldName(kind)}: {relation}");
                            }
                        }
                    }
                }
            }
        }

        if (_conflictsOn.TryGetValue(candidate.Name, out var against))
        {
            foreach (var (node, relation, kind) in against)
            {
                if (node.Package.Name != candidate.Name && (relation.Constraint?.IsSatisfiedBy(candidate.Version) ?? true))
                {
                    return (node, $"{node.Package.Name} {UniversePackage.FieldName(kind)}: {relation}");
                }
            }
        }

        foreach (var provided in candidate.Provides)
        {
            if (_conflictsOn.TryGetValue(provided.Name, out var virtualAgainst))
            {
                foreach (var (node, relation, kind) in virtualAgainst)
                {
                    if (node.Package.Name != candidate.Name && ProvisionMatches(relation, provided.Constraint?.Version))
                    {
                        return (node, $"{node.Package.Name} {UniversePackage.FieldName(kind)}: {relation}");
                    }
                }
            }
        }

        return null;
    }

    /// <summary>An unversioned Provides satisfies only unversioned relations; a versioned one is compared like a real version.</summary>
    private static bool ProvisionMatches(Relation relation, DebianVersion? provided) =>
        relation.Constraint is null || (provided is not null && relation.Constraint.IsSatisfiedBy(provided));

    /// <summary>Single-architecture rules: <c>:any</c> needs Multi-Arch: allowed; <c>:native</c> or the target architecture match natives and <c>all</c>.</summary>
    private bool ArchitectureMatches(Relation relation, UniversePackage package) => relation.ArchQualifier switch
    {
        null => true,
        "any" => package.MultiArch == MultiArch.Allowed,
        "native" => true,
        var qualifier => qualifier == _architecture,
    };

    private static string Describe(SelectionNode node) => node.Kind switch
    {
        SelectionKind.Requested => "requested",
        SelectionKind.RequiredBase => "required base",
        _ => "via " + string.Join(" → ", node.Chain()),
    };

    private static SelectionKind ToSelectionKind(RelationKind kind) => kind switch
    {
        RelationKind.PreDepends => SelectionKind.PreDepends,
        RelationKind.Recommends => SelectionKind.Recommends,
        _ => SelectionKind.Depends,
    };

    private static int Rank(string priority)
    {
        var index = Array.IndexOf(PriorityOrder, priority);
        return index < 0 ? PriorityOrder.Length : index;
    }

    private static void Add<T>(Dictionary<string, List<T>> index, string key, T value)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(value);
    }
}

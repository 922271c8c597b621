namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>A package in the selection being built, linked to the package that pulled it in.</summary>
internal sealed class SelectionNode(UniversePackage package, SelectionKind kind, SelectionNode? parent, string? relation, string? note, bool chosen)
{
    public UniversePackage Package { get; } = package;

    public SelectionKind Kind { get; } = kind;

    public SelectionNode? Parent { get; } = parent;

    public string? Relation { get; } = relation;

    public string? Note { get; } = note;

    /// <summary>True when another package could have been taken instead (an alternative or one of several providers).</summary>
    public bool Chosen { get; } = chosen;

    /// <summary>True once Recommends are followed for this package (and so for what it pulls in).</summary>
    public bool FollowRecommends { get; set; }

    /// <summary>Names from the root down to this package.</summary>
    public IReadOnlyList<string> Chain()
    {
        var names = new List<string>();
        for (var node = this; node is not null; node = node.Parent)
        {
            names.Add(node.Package.Name);
        }

        names.Reverse();
        return names;
    }
}

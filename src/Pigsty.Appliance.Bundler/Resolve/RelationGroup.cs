namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>One comma-separated entry of a relation field: alternatives separated by <c>|</c>, any one of which satisfies it.</summary>
public sealed record RelationGroup(IReadOnlyList<Relation> Alternatives)
{
    /// <summary>As written in a control file, e.g. <c>default-mta | mail-transport-agent</c>.</summary>
    public override string ToString() => string.Join(" | ", Alternatives);
}

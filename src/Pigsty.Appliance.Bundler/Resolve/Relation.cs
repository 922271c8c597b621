namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>One alternative of a relation field: <c>name[:archqual] [(op version)] [[arch …]]</c>.</summary>
/// <param name="Name">The package (or virtual package) name.</param>
/// <param name="ArchQualifier"><c>any</c>, <c>native</c>, an architecture name, or null.</param>
/// <param name="Constraint">The version constraint, or null for any version.</param>
/// <param name="Architectures">The <c>[…]</c> restriction list (entries may start with <c>!</c>); empty when absent.</param>
public sealed record Relation(string Name, string? ArchQualifier, VersionConstraint? Constraint, IReadOnlyList<string> Architectures)
{
    /// <summary>True unless an <c>[arch]</c> restriction excludes <paramref name="architecture"/>.</summary>
    public bool AppliesTo(string architecture)
    {
        if (Architectures.Count == 0)
        {
            return true;
        }

        var negated = Architectures[0].StartsWith('!');
        var listed = Architectures.Any(a => string.Equals(a.TrimStart('!'), architecture, StringComparison.Ordinal));
        return negated ? !listed : listed;
    }

    /// <summary>As written in a control file, e.g. <c>libevent-2.1-7 (&gt;= 2.1.8)</c>.</summary>
    public override string ToString()
    {
        var text = ArchQualifier is null ? Name : $"{Name}:{ArchQualifier}";
        if (Constraint is not null)
        {
            text += $" ({Constraint})";
        }

        return Architectures.Count == 0 ? text : $"{text} [{string.Join(' ', Architectures)}]";
    }
}

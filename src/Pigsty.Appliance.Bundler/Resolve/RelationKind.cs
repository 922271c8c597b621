namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>The relation fields the resolver reads.</summary>
public enum RelationKind
{
    /// <summary><c>Pre-Depends</c>.</summary>
    PreDepends,

    /// <summary><c>Depends</c>.</summary>
    Depends,

    /// <summary><c>Recommends</c> (followed only when a request asks for it).</summary>
    Recommends,

    /// <summary><c>Conflicts</c>.</summary>
    Conflicts,

    /// <summary><c>Breaks</c>.</summary>
    Breaks,
}

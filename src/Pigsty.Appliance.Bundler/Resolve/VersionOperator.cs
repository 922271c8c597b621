namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>The relational operator of a versioned relation: <c>&lt;&lt; &lt;= = &gt;= &gt;&gt;</c>.</summary>
public enum VersionOperator
{
    /// <summary><c>&lt;&lt;</c>: strictly earlier.</summary>
    Earlier,

    /// <summary><c>&lt;=</c> (and the obsolete <c>&lt;</c>).</summary>
    EarlierOrEqual,

    /// <summary><c>=</c>: exactly equal.</summary>
    Equal,

    /// <summary><c>&gt;=</c> (and the obsolete <c>&gt;</c>).</summary>
    LaterOrEqual,

    /// <summary><c>&gt;&gt;</c>: strictly later.</summary>
    Later,
}

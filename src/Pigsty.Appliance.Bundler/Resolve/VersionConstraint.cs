using Pigsty.Appliance.Bundler.Versions;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>The version part of a relation, e.g. <c>(&gt;= 2.1.8)</c>.</summary>
public sealed record VersionConstraint(VersionOperator Operator, DebianVersion Version)
{
    /// <summary>True when <paramref name="candidate"/> satisfies this constraint.</summary>
    public bool IsSatisfiedBy(DebianVersion candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var order = candidate.CompareTo(Version);
        return Operator switch
        {
            VersionOperator.Earlier => order < 0,
            VersionOperator.EarlierOrEqual => order <= 0,
            VersionOperator.Equal => order == 0,
            VersionOperator.LaterOrEqual => order >= 0,
            VersionOperator.Later => order > 0,
            _ => false,
        };
    }

    /// <summary>The operator as written in control files.</summary>
    public string OperatorText => Operator switch
    {
        VersionOperator.Earlier => "<<",
        VersionOperator.EarlierOrEqual => "<=",
        VersionOperator.Equal => "=",
        VersionOperator.LaterOrEqual => ">=",
        _ => ">>",
    };

    /// <summary><c>&gt;= 2.1.8</c>.</summary>
    public override string ToString() => $"{OperatorText} {Version}";
}

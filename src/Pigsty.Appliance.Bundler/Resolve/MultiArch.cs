namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>A package's <c>Multi-Arch</c> field.</summary>
public enum MultiArch
{
    /// <summary>Absent or <c>no</c>.</summary>
    No,

    /// <summary><c>same</c>: co-installable with itself for other architectures.</summary>
    Same,

    /// <summary><c>foreign</c>: satisfies dependencies of packages of any architecture.</summary>
    Foreign,

    /// <summary><c>allowed</c>: dependents may say <c>name:any</c>.</summary>
    Allowed,
}

using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>The requested packages cannot be installed together from these indexes; names the package and the chain that needs it.</summary>
public sealed class ResolutionException(string package, IReadOnlyList<string> chain, string message) : ApplianceException(message)
{
    /// <summary>The name that could not be satisfied (or was not found).</summary>
    public string Package { get; } = package;

    /// <summary>Package names from the request down to the one whose relation failed.</summary>
    public IReadOnlyList<string> Chain { get; } = chain;

    public override ExitCode ExitCode => ExitCode.InvalidInput;
}

using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// A secret several nodes must hold alike. Generated on each node it would differ and the nodes would fail each other long
/// into the install, so when more than one node needs it and the seed does not give it, planning fails naming it.
/// </summary>
public static class SharedSecret
{
    /// <summary>Why the seed must give a secret these nodes share.</summary>
    public static string Why(string who, IEnumerable<IPAddress> nodes) =>
        $"{who} ({string.Join(", ", nodes)}) must share it, so the seed must give it: a generated one would differ on each node";

    /// <summary>The problem "<paramref name="name"/> is missing", pointing where it belongs (<paramref name="scope"/>'s vars).</summary>
    public static InputProblem Missing(VarSet scope, string name, string who, IEnumerable<IPAddress> nodes)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Missing(name, Why(who, nodes));
    }

    /// <summary>True when the nodes are more than one, i.e. a secret they need must come from the seed.</summary>
    public static bool IsShared(IEnumerable<IPAddress> nodes) => nodes.Distinct().Skip(1).Any();
}

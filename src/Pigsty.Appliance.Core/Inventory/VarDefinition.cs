using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>One variable as written in the inventory: its name (at <paramref name="KeyLocation"/>), value and scope.</summary>
/// <param name="Owner">The group name or host address for <see cref="VarScope.Group"/> and <see cref="VarScope.Host"/>; "all" otherwise.</param>
public sealed record VarDefinition(string Name, SourceLocation KeyLocation, YamlValue Value, VarScope Scope, string Owner)
{
    /// <summary>True when this definition reaches <paramref name="host"/>'s variables (before precedence picks a winner).</summary>
    public bool Reaches(InventoryHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Scope switch
        {
            VarScope.All => true,
            VarScope.Group => host.IsIn(Owner),
            _ => host.Address.ToString() == Owner,
        };
    }
}

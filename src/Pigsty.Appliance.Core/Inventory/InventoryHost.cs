using System.Net;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>
/// A node, named by its primary IP. <see cref="Groups"/> are every group it belongs to (directly or through a child group) in
/// Ansible's precedence order; <see cref="Vars"/> are effective: all.vars, then those groups' variables, then host variables.
/// </summary>
public sealed record InventoryHost(IPAddress Address, SourceLocation Location, string Path, IReadOnlyList<string> Groups, VarSet Vars)
{
    /// <summary>True when the host belongs to <paramref name="group"/>, directly or through one of its child groups.</summary>
    public bool IsIn(string group) => Groups.Contains(group, StringComparer.Ordinal);
}

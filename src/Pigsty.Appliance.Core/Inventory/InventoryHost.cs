using System.Net;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A node, named by its primary IP; <see cref="Vars"/> are effective (host over group over all).</summary>
public sealed record InventoryHost(IPAddress Address, SourceLocation Location, string Path, IReadOnlyList<string> Groups, VarSet Vars);

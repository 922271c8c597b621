using System.Net;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A group of hosts (e.g. <c>pg-meta</c>) with its own variables.</summary>
public sealed record InventoryGroup(string Name, SourceLocation Location, string Path, IReadOnlyList<IPAddress> Hosts, VarSet Vars);

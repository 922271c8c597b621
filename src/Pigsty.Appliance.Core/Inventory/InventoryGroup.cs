using System.Net;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>
/// A group of hosts (e.g. <c>pg-meta</c>): where it is first defined, its depth below <c>all</c> (the longest path, as Ansible
/// counts it), its parent groups, the hosts listed directly in it and its own variables (not <c>all.vars</c>, not its parents').
/// </summary>
public sealed record InventoryGroup(string Name, SourceLocation Location, string Path, int Depth, IReadOnlyList<string> Parents,
    IReadOnlyList<IPAddress> Hosts, VarSet Vars);

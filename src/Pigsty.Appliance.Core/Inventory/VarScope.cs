namespace Pigsty.Appliance.Core.Inventory;

/// <summary>Where a variable is defined: <c>all.vars</c>, a group's <c>vars</c>, or a host's own mapping.</summary>
public enum VarScope
{
    All,
    Group,
    Host,
}

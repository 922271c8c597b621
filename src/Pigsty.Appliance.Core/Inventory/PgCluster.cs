namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A PostgreSQL cluster (<c>pg_cluster</c>), its instances ordered by <c>pg_seq</c>, and its group's variables.</summary>
public sealed record PgCluster(string Name, IReadOnlyList<PgInstance> Instances, VarSet Vars)
{
    /// <summary>The one instance with <c>pg_role: primary</c>.</summary>
    public PgInstance Primary => Instances.Single(i => i.Role == PgRole.Primary);
}

using System.Net;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>One PostgreSQL instance: node address, <c>pg_seq</c> and <c>pg_role</c>; its name is <c>cluster-seq</c>.</summary>
public sealed record PgInstance(string Cluster, IPAddress Address, int Seq, PgRole Role)
{
    /// <summary>The instance name, <c>${pg_cluster}-${pg_seq}</c>.</summary>
    public string Name => $"{Cluster}-{Seq}";
}

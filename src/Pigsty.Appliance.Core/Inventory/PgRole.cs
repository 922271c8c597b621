namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A PostgreSQL instance's role in its cluster (<c>pg_role</c>).</summary>
public enum PgRole
{
    /// <summary>The writable leader.</summary>
    Primary,

    /// <summary>A streaming replica serving reads.</summary>
    Replica,

    /// <summary>A replica for offline/analytic queries.</summary>
    Offline,
}

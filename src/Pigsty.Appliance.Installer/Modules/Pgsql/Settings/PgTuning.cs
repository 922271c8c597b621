using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>
/// The memory, connection and WAL parameters Pigsty's <c>pg_conf</c> templates (oltp, olap, crit, tiny) compute from the node:
/// shared_buffers is <c>pg_shared_buffer_ratio</c> of RAM, work_mem shares it among connections within each profile's bounds,
/// WAL sizes scale with the data disk in 20 GiB steps.
/// </summary>
public sealed record PgTuning(
    string Profile,
    int MaxConnections,
    long SharedBuffersMb,
    long MaintenanceWorkMemMb,
    long EffectiveCacheSizeMb,
    long WorkMemMb,
    int DiskTwentiethGb,
    int MaxWorkerProcesses,
    int MaxParallelWorkersPerGather,
    int MaxParallelMaintenanceWorkers,
    int MaxLocksPerTransaction,
    int MaxWalSenders,
    int MaxReplicationSlots,
    bool SynchronousMode,
    bool DataChecksums)
{
    /// <summary>Computes the profile named by <c>pg_conf</c> (with or without <c>.yml</c>) for this node.</summary>
    public static PgTuning Compute(VarSet vars, NodeResources node)
    {
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(node);
        var value = vars.Find("pg_conf");
        var profile = (value?.AsString() ?? "oltp.yml").Replace(".yml", "", StringComparison.Ordinal);
        if (profile is not ("oltp" or "olap" or "crit" or "tiny"))
        {
            throw value!.Error($"unknown pg_conf '{value.AsString()}' (expected oltp, olap, crit or tiny)");
        }

        var maxConn = vars.Find("pg_max_conn") is { } given && given.AsString() != "auto" ? given.AsInt() : 0;
        var viaPgbouncer = vars.String("pg_default_service_dest", "pgbouncer") == "pgbouncer";
        var connections = maxConn >= 20 ? maxConn
            : profile is "oltp" or "crit" ? (viaPgbouncer ? 200 : 1000)
            : 100;
        var ratio = vars.Find("pg_shared_buffer_ratio") is { } r
            ? double.Parse(r.AsString(), System.Globalization.CultureInfo.InvariantCulture)
            : 0.25;
        var shared = (long)Math.Ceiling(node.MemoryMb * ratio);
        var (low, high) = profile switch { "tiny" => (16L, 256L), "olap" => (64L, 8192L), _ => (64L, 1024L) };
        var workers = Math.Max(node.Cpus, 8);
        var rpo = PgsqlSettings.RpoOf(vars);
        return new PgTuning(
            profile,
            connections,
            shared,
            (long)Math.Ceiling(shared * (profile == "olap" ? 0.5 : 0.25)),
            node.MemoryMb - shared,
            Math.Min(Math.Max(shared / connections, low), high),
            (int)Math.Min(Math.Max(Math.Ceiling(node.DiskBytes / 21474836480.0), 1), 100),
            workers,
            profile switch { "oltp" => node.Cpus / 16, "olap" => (int)Math.Ceiling(workers / 2.0), _ => 0 },
            Math.Max((int)Math.Ceiling(node.Cpus / 8.0), 2),
            profile == "olap" ? 2 * connections : connections,
            profile == "tiny" ? 10 : 24,
            profile == "tiny" ? 10 : 16,
            profile == "crit" || rpo == 0,
            profile == "crit" || vars.Bool("pg_checksum", true));
    }
}

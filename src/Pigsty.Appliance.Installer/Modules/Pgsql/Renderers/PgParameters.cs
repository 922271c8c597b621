using System.Globalization;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>PostgreSQL parameters from the <c>pg_conf</c> profile: cluster-wide ones (Patroni keeps them in the DCS) and per-instance ones.</summary>
public static class PgParameters
{
    /// <summary>Parameters that must match on every member; Patroni takes them from the DCS (bootstrap.dcs), never from local config.</summary>
    public static IReadOnlyList<(string Name, string Value)> ClusterWide(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var t = settings.Tuning;
        return Override(settings,
        [
            ("max_connections", I(t.MaxConnections)),
            ("max_locks_per_transaction", I(t.MaxLocksPerTransaction)),
            ("max_prepared_transactions", "0"),
            ("max_worker_processes", I(t.MaxWorkerProcesses)),
            ("max_wal_senders", I(t.MaxWalSenders)),
            ("max_replication_slots", I(t.MaxReplicationSlots)),
            ("wal_level", "logical"),
            ("wal_log_hints", "on"),
            ("track_commit_timestamp", "on"),
            ("wal_keep_size", $"{t.DiskTwentiethGb * 2}GB"),
        ], clusterWide: true);
    }

    /// <summary>Parameters this instance sets from its own resources, then <c>pg_parameters</c> (which win).</summary>
    public static IReadOnlyList<(string Name, string Value)> Local(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var t = settings.Tuning;
        var list = new List<(string, string)>
        {
            ("password_encryption", "scram-sha-256"),
            ("ssl", "on"),
            ("ssl_cert_file", $"{PgsqlSettings.CertDir}/server.crt"),
            ("ssl_key_file", $"{PgsqlSettings.CertDir}/server.key"),
            ("ssl_ca_file", $"{PgsqlSettings.CertDir}/ca.crt"),
            ("unix_socket_directories", PgsqlSettings.SocketDir),
            ("shared_buffers", $"{t.SharedBuffersMb}MB"),
            ("maintenance_work_mem", $"{t.MaintenanceWorkMemMb}MB"),
            ("work_mem", $"{t.WorkMemMb}MB"),
            ("effective_cache_size", $"{t.EffectiveCacheSizeMb}MB"),
            ("max_parallel_workers", I(t.MaxWorkerProcesses)),
            ("max_parallel_workers_per_gather", I(t.MaxParallelWorkersPerGather)),
            ("max_parallel_maintenance_workers", I(t.MaxParallelMaintenanceWorkers)),
            ("hash_mem_multiplier", "8.0"),
            ("huge_pages", "try"),
            ("temp_file_limit", $"{(t.Profile == "olap" ? 2 : 1) * t.DiskTwentiethGb}GB"),
            ("min_wal_size", $"{t.DiskTwentiethGb}GB"),
            ("max_wal_size", $"{t.DiskTwentiethGb * 4}GB"),
            ("max_slot_wal_keep_size", $"{t.DiskTwentiethGb * 6}GB"),
            ("checkpoint_timeout", "15min"),
            ("checkpoint_completion_target", "0.8"),
            ("hot_standby_feedback", "on"),
            ("random_page_cost", "1.1"),
            ("log_destination", "csvlog"),
            ("logging_collector", "on"),
            ("log_directory", $"{settings.LogDir}/postgres"),
            ("log_filename", "postgresql-%Y-%m-%d.log"),
            ("log_min_duration_statement", "100"),
            ("log_statement", "ddl"),
            ("log_checkpoints", "on"),
            ("log_lock_waits", "on"),
            ("track_io_timing", "on"),
            ("track_functions", "all"),
            ("idle_in_transaction_session_timeout", "10min"),
            ("shared_preload_libraries", settings.Libraries),
            ("pg_stat_statements.max", "10000"),
            ("pg_stat_statements.track", "all"),
            ("auto_explain.log_min_duration", "1s"),
        };
        if (settings.BackupEnabled)
        {
            list.Add(("archive_mode", "on"));
            list.Add(("archive_timeout", "300"));
            list.Add(("archive_command", $"pgbackrest --stanza={settings.Cluster} archive-push %p"));
        }

        return Override(settings, list, clusterWide: false);
    }

    /// <summary>Both lists as postgresql.conf lines (for proving them against a real PostgreSQL).</summary>
    public static string ConfFile(PgsqlSettings settings) =>
        string.Concat(ClusterWide(settings).Concat(Local(settings)).Select(p => $"{p.Name} = '{p.Value.Replace("'", "''", StringComparison.Ordinal)}'\n"));

    private static readonly HashSet<string> ClusterWideNames =
    [
        "max_connections", "max_locks_per_transaction", "max_prepared_transactions", "max_worker_processes", "max_wal_senders",
        "max_replication_slots", "wal_level", "wal_log_hints", "track_commit_timestamp", "wal_keep_size",
    ];

    /// <summary>
    /// Parameters a PostgreSQL major no longer has (the major that removed them, and what replaces them, if anything): PostgreSQL
    /// refuses to start on an unknown name, and Patroni drops names its validator does not know for the major with only a warning.
    /// From the release notes of 16 and 17, and the difference of <c>postgres --describe-config</c> between 15 and 17.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Major, string? Instead)> Removed = new Dictionary<string, (int, string?)>(StringComparer.Ordinal)
    {
        ["promote_trigger_file"] = (16, "pg_ctl promote or pg_promote()"),
        ["vacuum_defer_cleanup_age"] = (16, "hot_standby_feedback or a replication slot"),
        ["force_parallel_mode"] = (16, "debug_parallel_query"),
        ["old_snapshot_threshold"] = (17, null),
        ["db_user_namespace"] = (17, null),
        ["trace_recovery_messages"] = (17, null),
    };

    /// <summary><c>pg_parameters</c> replace the profile's value in place; new names are appended to the list they belong in.</summary>
    private static List<(string Name, string Value)> Override(PgsqlSettings settings, List<(string Name, string Value)> list, bool clusterWide)
    {
        foreach (var (name, value) in settings.Parameters.Where(p => ClusterWideNames.Contains(p.Name) == clusterWide))
        {
            if (Removed.TryGetValue(name, out var removed) && settings.Version >= removed.Major)
            {
                throw new Core.Errors.InputException("pg_parameters", $"{name}: PostgreSQL {I(removed.Major)} removed this parameter, and this "
                    + $"instance runs PostgreSQL {I(settings.Version)}; {(removed.Instead is { } instead ? $"use {instead} instead" : "remove it")}");
            }

            var index = list.FindIndex(p => p.Name == name);
            if (index >= 0)
            {
                list[index] = (name, value);
            }
            else
            {
                list.Add((name, value));
            }
        }

        return list;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}

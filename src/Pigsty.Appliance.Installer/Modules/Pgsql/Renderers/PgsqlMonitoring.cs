using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>What VictoriaMetrics and vmalert (INFRA) read about PostgreSQL clusters: file_sd targets and alert rules.</summary>
public static class PgsqlMonitoring
{
    /// <summary>pgsql (exporter 9630), pgbouncer (9631) and patroni (REST 8008 /metrics) targets for every instance of a cluster.</summary>
    public static IReadOnlyList<ScrapeTarget> ScrapeTargets(PgCluster cluster, VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(vars);
        var jobs = new[]
        {
            ("pgsql", vars.Int("pg_exporter_port", 9630)),
            ("pgbouncer", vars.Int("pgbouncer_exporter_port", 9631)),
            ("patroni", vars.Int("patroni_port", 8008)),
        };
        return jobs.SelectMany(job => cluster.Instances.Select(i => new ScrapeTarget(job.Item1, i.Name, [new IPEndPoint(i.Address, job.Item2).ToString()],
            ScrapeTarget.Identity(cluster.Name, i.Name, i.Address.ToString())))).ToList();
    }

    /// <summary>vmalert rules: PostgreSQL, pgbouncer or Patroni down, replication lag, archiving failures, backups too old.</summary>
    public const string Rules = """
        # written by pigsty-appliance: alerting rules for the PGSQL module (vmalert / Prometheus format)
        groups:
          - name: pgsql
            rules:
              - alert: PostgresExporterDown
                expr: up{job="pgsql"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: 'PostgreSQL exporter of {{ $labels.ins }} ({{ $labels.instance }}) is down'
              - alert: PostgresDown
                expr: pg_up{job="pgsql"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: 'PostgreSQL {{ $labels.ins }} is down'
              - alert: PgbouncerDown
                expr: up{job="pgbouncer"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: 'pgbouncer of {{ $labels.ins }} is down'
              - alert: PatroniDown
                expr: up{job="patroni"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: 'Patroni of {{ $labels.ins }} is down'
              - alert: PostgresClusterNoPrimary
                expr: max by (cls) (patroni_primary{job="patroni"}) == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: 'PostgreSQL cluster {{ $labels.cls }} has no primary'
              - alert: PostgresReplicationLag
                expr: pg_replication_lag{job="pgsql"} > 60
                for: 1m
                labels:
                  severity: WARN
                annotations:
                  summary: 'replica {{ $labels.ins }} lags {{ $value }} s behind its primary'
              - alert: PostgresArchiveFailing
                expr: increase(pg_stat_archiver_failed_count{job="pgsql"}[10m]) > 0
                labels:
                  severity: WARN
                annotations:
                  summary: 'WAL archiving (pgBackRest) fails on {{ $labels.ins }}'
              - alert: PostgresBackupTooOld
                expr: time() - max by (cls) (pgbackrest_last_backup_time_seconds) > 8 * 86400
                labels:
                  severity: WARN
                annotations:
                  summary: 'the last pgBackRest backup of {{ $labels.cls }} is older than 8 days'

        """;
}

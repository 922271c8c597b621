using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>Our units for the PGSQL services; each shadows the Debian unit of the same name so upgrades cannot change it.</summary>
public static class PgsqlUnits
{
    /// <summary>Where node_exporter's textfile collector reads (Debian's default directory).</summary>
    public const string TextfileDirectory = "/var/lib/prometheus/node-exporter";

    /// <summary>The backup script, as in Pigsty.</summary>
    public const string BackupScriptPath = "/pg/bin/pg-backup";

    public static SystemdUnit Patroni(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("patroni.service", $"Patroni for PostgreSQL {settings.Self.Name} (Pigsty PGSQL)",
        [
            ("Type", "simple"),
            ("User", settings.Dbsu),
            ("Group", settings.Dbsu),
            ("ExecStart", $"/usr/bin/patroni {PgsqlSettings.PatroniConfigPath}"),
            ("ExecReload", "/bin/kill -s HUP $MAINPID"),
            ("KillMode", "process"),
            ("TimeoutSec", "30"),
            ("TimeoutStopSec", "120s"),
            ("Restart", "on-failure"),
            ("RestartSec", "5s"),
            ("LimitNOFILE", KernelTuning.NrOpen),
            ("OOMScoreAdjust", "-1000"),
        ])
        {
            Comments = ["Replaces Debian's patroni.service (which reads /etc/patroni/config.yml).", "KillMode=process: stopping Patroni stops PostgreSQL gracefully.",
                "LimitNOFILE is NODE's fs.nr_open: systemd 252 cut a higher limit down to it, systemd 257 (Debian 13) fails the start."],
            Unit = [("After", "network-online.target etcd.service"), ("Wants", "network-online.target")],
        };
    }

    public static SystemdUnit Pgbouncer(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("pgbouncer.service", $"pgbouncer connection pool of {settings.Self.Name} (Pigsty PGSQL)",
        [
            ("Type", "notify"),
            ("User", settings.Dbsu),
            ("ExecStart", $"/usr/sbin/pgbouncer {PgbouncerRenderer.IniPath}"),
            ("ExecReload", "/bin/kill -HUP $MAINPID"),
            ("KillSignal", "SIGINT"),
            ("Restart", "on-failure"),
            ("RestartSec", "5s"),
            ("LimitNOFILE", "65536"),
        ])
        {
            Comments = ["Replaces Debian's pgbouncer.service; Debian's pgbouncer.socket is masked (it would hold port 6432)."],
            Unit = [("After", "network-online.target patroni.service"), ("Wants", "network-online.target")],
        };
    }

    public static SystemdUnit PostgresExporter(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("prometheus-postgres-exporter.service", $"PostgreSQL metrics of {settings.Self.Name} on :{settings.ExporterPort}",
        [
            ("User", "prometheus"),
            ("EnvironmentFile", PgsqlSettings.ExporterEnvPath),
            ("ExecStart", $"/usr/bin/prometheus-postgres-exporter --web.listen-address={new System.Net.IPEndPoint(settings.Self.Address, settings.ExporterPort)} --auto-discover-databases "
                + "--exclude-databases=template0,template1 --log.level=warn"),
            ("Restart", "on-failure"),
            ("RestartSec", "5s"),
        ])
        {
            Comments = ["Replaces Debian's unit: Pigsty's port 9630 and our DSN instead of /etc/default/prometheus-postgres-exporter.",
                "Listens on the node's address only: the INFRA node scrapes it there; it has no login of its own."],
            Unit = [("After", "network-online.target patroni.service")],
        };
    }

    public static SystemdUnit PgbouncerExporter(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("pgbouncer-exporter.service", $"pgbouncer metrics of {settings.Self.Name} on :{settings.PgbouncerExporterPort}",
        [
            ("User", settings.Dbsu),
            ("ExecStart", ExecLine.Of(NodeLayout.Installer, "pgbouncer-exporter",
                "--listen", $"http://{HostAddress.ForUri(settings.Self.Address)}:{settings.PgbouncerExporterPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/",
                "--socket-dir", PgsqlSettings.SocketDir, "--port", settings.PgbouncerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--user", settings.Dbsu)),
            ("Restart", "on-failure"),
            ("RestartSec", "5s"),
        ])
        {
            Comments = ["pigsty-appliance's own exporter: Debian 12's prometheus-pgbouncer-exporter 1.7 cannot read pgbouncer 1.18's SHOW STATS.",
                "Reads the admin console over the Unix socket as the dbsu (peer)."],
            Unit = [("After", "pgbouncer.service"), ("Wants", "pgbouncer.service")],
        };
    }

    /// <summary>The scheduled full backup: runs <see cref="BackupScriptPath"/>, which backs up only on the current primary.</summary>
    public static SystemdUnit BackupService(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("pgbackrest-full.service", $"pgBackRest full backup of {settings.Cluster}",
        [
            ("Type", "oneshot"),
            ("ExecStart", $"{BackupScriptPath} full"),
        ])
        {
            Comments = ["Runs as root: the script drops to the dbsu for psql and pgbackrest and writes the textfile metric."],
            WantedBy = null,
        };
    }

    public static SystemdUnit BackupTimer(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("pgbackrest-full.timer", $"daily pgBackRest full backup of {settings.Cluster}",
        [
            ("OnCalendar", "*-*-* 01:00:00"),
            ("Persistent", "true"),
            ("Unit", "pgbackrest-full.service"),
        ])
        {
            WantedBy = "timers.target",
        };
    }

    /// <summary>The exporter's DSN: the monitor user over the Unix socket (hba: monitor from localhost with password).</summary>
    public static string ExporterEnvironment(PgsqlSettings settings, PgSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(secrets);
        return "# DSN of prometheus-postgres-exporter, written by pigsty-appliance (root-only: it holds a password)\n"
            + $"DATA_SOURCE_NAME=postgresql://{Uri.EscapeDataString(settings.MonitorUser)}:{Uri.EscapeDataString(secrets.Monitor)}@:{settings.Port}/postgres"
            + $"?host={Uri.EscapeDataString(PgsqlSettings.SocketDir)}&sslmode=disable\n";
    }

    /// <summary>The metric <see cref="BackupScript"/> writes for node_exporter's textfile collector; the backup-age alert reads it.</summary>
    public const string BackupMetric = "pgbackrest_last_backup_time_seconds";

    /// <summary>
    /// The backup script (Pigsty's /pg/bin/pg-backup): on the primary only, back up, then record the time for node_exporter.
    /// The metric line is written by printf from single quotes: label values need their double quotes in the Prometheus text.
    /// </summary>
    public static string BackupScript(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $$"""
            #!/bin/sh
            # pg-backup [full|diff|incr]: pgBackRest backup of {{settings.Cluster}} on the current primary only (written by pigsty-appliance)
            # Runs as root (pgbackrest-full.timer) or as {{settings.Dbsu}} (pg_crontab entries, as in Pigsty).
            set -eu
            type="${1:-full}"
            case "$type" in
                full|diff|incr) ;;
                *) echo "usage: pg-backup [full|diff|incr]" >&2; exit 2 ;;
            esac
            as_dbsu() { if [ "$(id -u)" = 0 ]; then runuser -u {{settings.Dbsu}} -- "$@"; else "$@"; fi; }
            role=$(as_dbsu psql -XAtq -p {{settings.Port}} -d postgres -c 'select pg_is_in_recovery()')
            if [ "$role" != f ]; then
                echo "{{settings.Self.Name}} is not the primary: no backup here"
                exit 0
            fi
            as_dbsu pgbackrest --stanza={{settings.Cluster}} --type="$type" backup
            # node_exporter's textfile directory is root's: the metric is written when root runs the backup (the timer).
            if [ "$(id -u)" = 0 ]; then
                mkdir -p {{TextfileDirectory}}
                {
                    echo '# HELP {{BackupMetric}} When the last pgBackRest backup of this type finished (written by pg-backup).'
                    echo '# TYPE {{BackupMetric}} gauge'
                    printf '{{BackupMetric}}{cls="{{settings.Cluster}}",type="%s"} %s\n' "$type" "$(date +%s)"
                } > {{TextfileDirectory}}/pgbackrest.prom.tmp
                mv {{TextfileDirectory}}/pgbackrest.prom.tmp {{TextfileDirectory}}/pgbackrest.prom
            fi

            """;
    }
}

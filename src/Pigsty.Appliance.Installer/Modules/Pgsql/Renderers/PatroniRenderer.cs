using System.Globalization;
using System.Text;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>/etc/patroni/patroni.yml: the instance's identity, etcd3 DCS with RBAC over TLS, REST API, bootstrap and PostgreSQL settings.</summary>
public static class PatroniRenderer
{
    public static string Render(PgsqlSettings settings, PgSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(secrets);
        var t = settings.Tuning;
        var n = settings.Node;
        var text = new StringBuilder();
        text.Append("# written by pigsty-appliance: Patroni for ").Append(settings.Self.Name)
            .Append(" [").Append(settings.Self.Role.ToString().ToLowerInvariant()).Append("], pg_conf ").Append(t.Profile).Append('\n');
        text.Append("# node ").Append(n.Cpus).Append(" CPU, ").Append(n.MemoryMb).Append(" MB RAM, ").Append(t.DiskTwentiethGb * 20)
            .Append(" GB disk step; max_connections ").Append(t.MaxConnections).Append(", shared_buffers ").Append(t.SharedBuffersMb)
            .Append("MB, work_mem ").Append(t.WorkMemMb).Append("MB\n");
        text.Append("namespace: ").Append(Yaml.Scalar(settings.Namespace + "/")).Append('\n');
        text.Append("scope: ").Append(Yaml.Scalar(settings.Cluster)).Append('\n');
        text.Append("name: ").Append(Yaml.Scalar(settings.Self.Name)).Append("\n\n");

        // No log dir: Patroni logs to stderr, so its lines are in the journal, where a failed health wait shows them.
        text.Append("log:\n  level: INFO\n\n");

        text.Append("etcd3:\n");
        text.Append("  hosts: ").Append(Yaml.Scalar(string.Join(',', settings.EtcdHosts))).Append('\n');
        text.Append("  protocol: https\n");
        text.Append("  cacert: ").Append(PgsqlSettings.CertDir).Append("/ca.crt\n");
        text.Append("  # the cluster's own etcd user: read-write on ").Append(settings.EtcdUser.Prefix).Append(" only\n");
        text.Append("  username: ").Append(Yaml.Scalar(settings.EtcdUser.Name)).Append('\n');
        text.Append("  password: ").Append(Yaml.Scalar(secrets.Etcd)).Append("\n\n");

        text.Append("restapi:\n");
        text.Append("  listen: ").Append(Yaml.Scalar($"0.0.0.0:{settings.PatroniPort}")).Append('\n');
        text.Append("  connect_address: ").Append(Yaml.Scalar(Endpoint(settings.Self.Address, settings.PatroniPort))).Append('\n');
        text.Append("  # GET/OPTIONS (health checks) are open; unsafe methods need these credentials and an allowed address\n");
        text.Append("  authentication:\n    username: ").Append(Yaml.Scalar(settings.PatroniUser))
            .Append("\n    password: ").Append(Yaml.Scalar(secrets.Patroni)).Append('\n');
        var allowed = settings.Members.Select(m => m.Address).Concat(settings.InfraIps).Append(System.Net.IPAddress.Loopback)
            .Distinct().Select(a => a.ToString());
        text.Append("  allowlist: [").Append(string.Join(", ", allowed.Select(Yaml.Scalar))).Append("]\n\n");

        text.Append("ctl:\n  insecure: true\n\n");
        text.Append("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: false\n\n");
        text.Append("watchdog:\n  mode: 'off'\n  safety_margin: ").Append(I(settings.Rto.SafetyMargin)).Append("\n\n");

        text.Append("bootstrap:\n  method: initdb\n  initdb:\n");
        if (t.DataChecksums)
        {
            text.Append("    - data-checksums\n");
        }

        text.Append("    - encoding: ").Append(settings.Encoding).Append('\n');
        text.Append("    - locale: ").Append(settings.Locale).Append('\n');
        text.Append("    - lc-collate: ").Append(settings.LcCollate).Append('\n');
        text.Append("    - lc-ctype: ").Append(settings.LcCtype).Append('\n');
        text.Append("  # only the dbsu over the socket until Patroni writes postgresql.pg_hba below\n  pg_hba:\n");
        text.Append("    - 'local all ").Append(settings.Dbsu).Append(" ident'\n    - 'local replication ").Append(settings.Dbsu).Append(" ident'\n");
        text.Append("  # written to the DCS once, when the primary bootstraps the cluster\n  dcs:\n");
        text.Append("    # pg_rto ").Append(settings.Rto.Mode).Append(", pg_rpo ").Append(settings.Rpo.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("    ttl: ").Append(I(settings.Rto.Ttl)).Append('\n');
        text.Append("    loop_wait: ").Append(I(settings.Rto.LoopWait)).Append('\n');
        text.Append("    retry_timeout: ").Append(I(settings.Rto.RetryTimeout)).Append('\n');
        text.Append("    primary_start_timeout: ").Append(I(settings.Rto.PrimaryStartTimeout)).Append('\n');
        text.Append("    maximum_lag_on_failover: ").Append(settings.Rpo.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("    maximum_lag_on_syncnode: -1\n");
        text.Append("    primary_stop_timeout: 30\n");
        text.Append("    # pg_rpo 0 (or pg_conf crit): commits wait for a synchronous replica; without one, writes go on (not strict)\n");
        text.Append("    synchronous_mode: ").Append(t.SynchronousMode ? "true" : "false").Append('\n');
        text.Append("    synchronous_mode_strict: false\n");
        text.Append("    failsafe_mode: true\n");
        text.Append("    postgresql:\n      use_pg_rewind: true\n      remove_data_directory_on_rewind_failure: true\n      use_slots: true\n      parameters:\n");
        foreach (var (name, value) in PgParameters.ClusterWide(settings))
        {
            text.Append("        ").Append(name).Append(": ").Append(Yaml.Scalar(value)).Append('\n');
        }

        text.Append("\npostgresql:\n");
        text.Append("  bin_dir: ").Append(settings.BinDir).Append('\n');
        text.Append("  data_dir: ").Append(settings.DataDir).Append('\n');
        text.Append("  config_dir: ").Append(settings.DataDir).Append('\n');
        text.Append("  pgpass: /var/lib/postgresql/.pgpass.patroni\n");
        text.Append("  listen: ").Append(Yaml.Scalar($"0.0.0.0:{settings.Port}")).Append('\n');
        text.Append("  connect_address: ").Append(Yaml.Scalar(Endpoint(settings.Self.Address, settings.Port))).Append('\n');
        text.Append("  use_unix_socket: true\n");

        // Not in Pigsty's template, which leaves Patroni's own replication connection (the replica's timeline, asked on every REST
        // request) on TCP to localhost, with SSL. In the HA boot test a starved replica logged 274 SSL handshakes from 127.0.0.1
        // abandoned in 10 minutes and "Can not fetch local timeline and lsn from replication connection" on each request, and its
        // /replica never answered in time. The socket needs no handshake; HBA's "localhost" rule for the replicator covers it.
        text.Append("  use_unix_socket_repl: true\n");
        text.Append("  authentication:\n    superuser:\n      username: ").Append(Yaml.Scalar(settings.Dbsu)).Append('\n');
        if (secrets.Dbsu is { } dbsu)
        {
            text.Append("      password: ").Append(Yaml.Scalar(dbsu)).Append('\n');
        }

        foreach (var purpose in new[] { "replication", "rewind" })
        {
            text.Append("    ").Append(purpose).Append(":\n      username: ").Append(Yaml.Scalar(settings.ReplicationUser))
                .Append("\n      password: ").Append(Yaml.Scalar(secrets.Replication)).Append('\n');
        }

        if (settings.Vip is { } vip)
        {
            text.Append("  # the cluster VIP ").Append(vip.Cidr).Append(" follows the leader: Patroni runs this on every event\n  callbacks:\n");
            foreach (var callback in new[] { "on_start", "on_stop", "on_restart", "on_reload", "on_role_change" })
            {
                text.Append("    ").Append(callback).Append(": ").Append(Yaml.Scalar(PgVipRenderer.Callback)).Append('\n');
            }
        }

        text.Append("  # an old primary rejoins as a replica: pg_rewind (data checksums or wal_log_hints), or a fresh clone if that fails\n");
        text.Append("  use_pg_rewind: true\n  remove_data_directory_on_rewind_failure: true\n");
        text.Append("  # replicas clone the running primary with pg_basebackup, then follow it\n");
        text.Append("  create_replica_methods:\n    - basebackup\n  basebackup:\n    - checkpoint: fast\n    - max-rate: 1000M\n");
        text.Append("  parameters:\n");
        foreach (var (name, value) in PgParameters.Local(settings))
        {
            text.Append("    ").Append(name).Append(": ").Append(Yaml.Scalar(value)).Append('\n');
        }

        text.Append("  # pg_hba.conf, rewritten by Patroni from this list (pg_default_hba_rules + pg_hba_rules)\n  pg_hba:\n");
        foreach (var line in HbaRenderer.PostgresLines(settings))
        {
            text.Append(line.StartsWith('#') ? "    " + line : "    - " + Yaml.Scalar(line)).Append('\n');
        }

        return text.ToString();
    }

    private static string Endpoint(System.Net.IPAddress address, int port) => new System.Net.IPEndPoint(address, port).ToString();

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}

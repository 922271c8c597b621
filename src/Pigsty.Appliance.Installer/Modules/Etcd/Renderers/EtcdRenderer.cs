using System.Text;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Etcd.Renderers;

/// <summary>Pure functions from <see cref="EtcdSettings"/> to the files etcd and monitoring read.</summary>
public static class EtcdRenderer
{
    /// <summary>etcd's YAML configuration file (<c>--config-file</c>): static bootstrap, TLS from the site CA, plain-http metrics.</summary>
    public static string Config(EtcdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var self = settings.Member;
        var text = new StringBuilder();
        text.Append("# written by pigsty-appliance: etcd member ").Append(self.Name).Append(" of cluster ").Append(settings.Cluster).Append('\n');
        text.Append("# flags and ETCD_* variables are ignored when etcd reads this file\n");
        Line(text, "name", self.Name);
        Line(text, "data-dir", settings.DataDir);
        Line(text, "enable-v2", "false");

        // Patroni's etcd3 client speaks the v3 HTTP gateway; read from a file, this flag defaults to false.
        Line(text, "enable-grpc-gateway", "true");
        Line(text, "logger", "zap");
        Line(text, "log-outputs", "[stderr]");
        text.Append("\n# static bootstrap: every member is known from the inventory\n");
        Line(text, "initial-cluster-token", Quote(settings.Cluster));
        Line(text, "initial-cluster-state", Quote(settings.InitialState));
        Line(text, "initial-cluster", Quote(settings.InitialCluster));
        Line(text, "initial-advertise-peer-urls", Quote(EtcdSettings.Url("https", self.Address, settings.PeerPort)));
        Line(text, "listen-peer-urls", Quote(EtcdSettings.Url("https", self.Address, settings.PeerPort)));
        Line(text, "listen-client-urls", Quote(
            $"{EtcdSettings.Url("https", self.Address, settings.ClientPort)},https://127.0.0.1:{settings.ClientPort}"));
        Line(text, "advertise-client-urls", Quote(settings.ClientEndpoint));
        text.Append("\n# /metrics and /health over plain http, for VictoriaMetrics and health checks\n");
        Line(text, "listen-metrics-urls", Quote(EtcdSettings.Url("http", self.Address, EtcdSettings.MetricsPort)));
        text.Append('\n');
        Line(text, "election-timeout", settings.ElectionTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line(text, "heartbeat-interval", settings.HeartbeatInterval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line(text, "auto-compaction-mode", "periodic");
        Line(text, "auto-compaction-retention", Quote("24h"));
        if (settings.Platform.Etcd >= V35)
        {
            // etcd's maintainers asked every 3.5 member to run the corruption checks after 3.5.0-3.5.2 let members diverge when
            // killed under load: a member compares its data with its peers before it serves, and the leader compares followers'
            // hashes at each compaction; a diverged member raises a CORRUPT alarm instead of serving other data than its peers.
            text.Append("\n# etcd 3.5: data checked against the peers before serving and at each compaction\n");
            Line(text, "experimental-initial-corrupt-check", "true");
            Line(text, "experimental-compact-hash-check-enabled", "true");
        }

        text.Append("\n# clients authenticate with a password (root user, RBAC): no client CA here, since etcd 3.4 demands a client\n");
        text.Append("# certificate whenever one is set; peers must hold a certificate from the site CA\n");
        text.Append("client-transport-security:\n");
        Pair(text, "cert-file", EtcdSettings.CertificatePath);
        Pair(text, "key-file", EtcdSettings.KeyPath);
        text.Append("peer-transport-security:\n");
        Pair(text, "cert-file", EtcdSettings.CertificatePath);
        Pair(text, "key-file", EtcdSettings.KeyPath);
        Pair(text, "trusted-ca-file", EtcdSettings.CaPath);
        text.Append("  client-cert-auth: true\n");
        return text.ToString();
    }

    /// <summary>Our etcd.service, which shadows Debian's (whose defaults are /var/lib/etcd/default and /etc/default/etcd).</summary>
    public static SystemdUnit Unit(EtcdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("etcd.service", $"etcd member {settings.Member.Name} (Pigsty ETCD, cluster {settings.Cluster})",
        [
            ("Type", "simple"),
            ("User", "etcd"),
            ("Group", "etcd"),
            ("WorkingDirectory", settings.DataDir),
            ("ExecStart", $"/usr/bin/etcd --config-file {EtcdSettings.ConfigPath}"),
            ("Restart", "on-failure"),
            ("RestartSec", "5s"),
            ("LimitNOFILE", "65536"),
            ("OOMScoreAdjust", "-1000"),
            ("Nice", "-10"),
            ("CPUWeight", "1000"),
            ("IOSchedulingClass", "best-effort"),
            ("IOSchedulingPriority", "0"),
        ])
        {
            Comments =
            [
                "Replaces Debian's etcd.service: no /etc/default/etcd, no /var/lib/etcd/default, only " + EtcdSettings.ConfigPath + ".",
                "OOMScoreAdjust as in Pigsty. Nice, CPUWeight and the I/O priority are ours (etcd's tuning guide asks for ionice):",
                "a member starved by PostgreSQL or an install beside it misses heartbeats, and the cluster loses its leader.",
                "Type=simple: a member of a new cluster is not ready until a quorum of peers is up, so the installer",
                "waits on /health with a deadline instead of blocking in 'systemctl start'.",
            ],
            Unit = [("Documentation", "https://etcd.io/docs"), ("After", "network-online.target"), ("Wants", "network-online.target")],
        };
    }

    /// <summary>One file_sd target per member on the plain-http metrics port.</summary>
    public static IReadOnlyList<ScrapeTarget> ScrapeTargets(EtcdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Members.Select(m => new ScrapeTarget("etcd", m.Name,
            [$"{new System.Net.IPEndPoint(m.Address, EtcdSettings.MetricsPort)}"],
            ScrapeTarget.Identity(settings.Cluster, m.Name, m.Address.ToString()))).ToList();
    }

    private static readonly Version V35 = new(3, 5);

    private static void Pair(StringBuilder text, string key, string path) => text.Append("  ").Append(key).Append(": ").Append(Quote(path)).Append('\n');

    private static void Line(StringBuilder text, string key, string value) => text.Append(key).Append(": ").Append(value).Append('\n');

    private static string Quote(string value) => $"\"{value}\"";
}

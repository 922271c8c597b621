using System.Globalization;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>
/// INFRA's service units. Units of Debian packages keep the package's name (ours shadows it, so no second copy can start);
/// configuration paths are explicit flags, so the packages' own defaults in /etc/default and /etc/prometheus are unused.
/// </summary>
/// <remarks>
/// Every HTTP component here listens on loopback only: none has authentication of its own (VictoriaMetrics' import and delete
/// APIs, vmalert, Alertmanager's silences, blackbox's <c>/probe?target=</c> that reaches any host), and nothing outside this
/// node needs them directly. VictoriaMetrics scrapes outwards, vmalert and Grafana talk to it here, and people reach them
/// through nginx, which asks for a login. See README "Network exposure".
/// </remarks>
public static class InfraUnits
{
    private static readonly (string, string)[] Network =
    [
        ("After", "network-online.target"),
        ("Wants", "network-online.target"),
    ];

    public static SystemdUnit Nginx()
    {
        // The -g directives are the ones Debian's unit passes: daemonize, with a master process.
        string[] global = ["-g", "daemon on; master_process on;"];
        return new SystemdUnit("nginx.service", "nginx: Pigsty portal, local repository and reverse proxy", [
            ("Type", "forking"),
            ("PIDFile", "/run/nginx.pid"),
            ("ExecStartPre", ExecLine.Of("/usr/sbin/nginx", ["-t", "-q", .. global])),
            ("ExecStart", ExecLine.Of("/usr/sbin/nginx", global)),
            ("ExecReload", ExecLine.Of("/usr/sbin/nginx", ["-t", "-q", .. global])),
            ("ExecReload", ExecLine.Of("/usr/sbin/nginx", [.. global, "-s", "reload"])),
            ("ExecStop", ExecLine.Of("-/sbin/start-stop-daemon", "--quiet", "--stop", "--retry", "QUIT/5", "--pidfile", "/run/nginx.pid")),
            ("TimeoutStopSec", "5"),
            ("KillMode", "mixed"),
            ("Restart", "on-failure"),
            ("RestartSec", "5"),
        ])
        {
            Unit = [("Documentation", "man:nginx(8)"), ("After", "network-online.target remote-fs.target nss-lookup.target"), ("Wants", "network-online.target")],
        };
    }

    public static SystemdUnit Dnsmasq() => new("dnsmasq.service", "dnsmasq: DNS for the site's names (Pigsty)", [
        ("Type", "simple"),
        ("ExecStartPre", ExecLine.Of("/usr/sbin/dnsmasq", "--test", $"--conf-file={DnsmasqConfig.Path}")),
        ("ExecStart", ExecLine.Of("/usr/sbin/dnsmasq", "--keep-in-foreground", $"--conf-file={DnsmasqConfig.Path}")),
        ("ExecReload", ExecLine.SignalHup),
        ("RuntimeDirectory", "dnsmasq"),
        ("Restart", "on-failure"),
        ("RestartSec", "5"),
    ])
    {
        Unit = [("Documentation", "man:dnsmasq(8)"), ("Before", "nss-lookup.target"), ("Wants", "nss-lookup.target network-online.target"), ("After", "network-online.target")],
    };

    public static SystemdUnit VictoriaMetrics(InfraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("victoria-metrics.service", "VictoriaMetrics: the site's time series database (vmetrics)", [
            ("User", "_victoria-metrics"),
            ("ExecStart", ExecLine.Of("/usr/bin/victoria-metrics", VictoriaMetricsArguments(settings))),
            ("ExecReload", ExecLine.SignalHup),
            ("Restart", "on-failure"),
            ("RestartSec", "5"),
            ("TimeoutStopSec", "120"),
            ("LimitNOFILE", "1048576"),
        ])
        {
            Unit = [("Documentation", "https://docs.victoriametrics.com/"), .. Network],
        };
    }

    public static SystemdUnit Vmalert(InfraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("vmalert.service", "vmalert: evaluates the alert rules in " + NodePaths.AlertRules, [
            ("User", "_victoria-metrics"),
            ("ExecStart", ExecLine.Of("/usr/bin/vmalert", VmalertArguments(settings))),
            ("ExecReload", ExecLine.SignalHup),
            ("Restart", "on-failure"),
            ("RestartSec", "5"),
        ])
        {
            Unit = [("Documentation", "https://docs.victoriametrics.com/vmalert.html"), ("After", "network-online.target victoria-metrics.service"), ("Wants", "network-online.target")],
        };
    }

    public static SystemdUnit Alertmanager(InfraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("prometheus-alertmanager.service", "Alertmanager: routes the site's alerts", [
            ("User", "prometheus"),
            ("ExecStart", ExecLine.Of("/usr/bin/prometheus-alertmanager", AlertmanagerArguments(settings))),
            ("ExecReload", ExecLine.SignalHup),
            ("Restart", "on-failure"),
            ("RestartSec", "5"),
            ("TimeoutStopSec", "20s"),
        ])
        {
            Unit = [("Documentation", "https://prometheus.io/docs/alerting/alertmanager/"), .. Network],
        };
    }

    public static SystemdUnit Blackbox(InfraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("prometheus-blackbox-exporter.service", "blackbox_exporter: probes the site's nodes and services", [
            ("User", "prometheus"),
            ("ExecStart", ExecLine.Of("/usr/bin/prometheus-blackbox-exporter", BlackboxArguments(settings))),
            ("ExecReload", ExecLine.SignalHup),
            // ICMP probes need a raw socket; this capability and nothing more.
            ("AmbientCapabilities", "CAP_NET_RAW"),
            ("CapabilityBoundingSet", "CAP_NET_RAW"),
            ("Restart", "on-failure"),
            ("RestartSec", "5"),
        ])
        {
            Unit = [("Documentation", "https://github.com/prometheus/blackbox_exporter"), .. Network],
        };
    }

    /// <summary>
    /// Grafana from its own Debian package (not in Debian: a bundle brings it from Grafana's release), run the way that
    /// package runs it, with our grafana.ini; the unit keeps the package's name so its unit cannot start a second copy.
    /// </summary>
    public static SystemdUnit Grafana() => new("grafana-server.service", "Grafana: dashboards of the site, served at /ui/", [
        ("User", "grafana"),
        ("Group", "grafana"),
        ("WorkingDirectory", "/usr/share/grafana"),
        ("ExecStart", ExecLine.Of("/usr/share/grafana/bin/grafana", "server",
            $"--config={GrafanaConfig.Path}",
            "--homepath=/usr/share/grafana",
            "--packaging=deb",
            "cfg:default.paths.logs=/var/log/grafana",
            "cfg:default.paths.data=/var/lib/grafana",
            "cfg:default.paths.plugins=/var/lib/grafana/plugins",
            "cfg:default.paths.provisioning=/etc/grafana/provisioning")),
        ("Restart", "on-failure"),
        ("RestartSec", "5"),
        ("TimeoutStopSec", "20"),
        ("LimitNOFILE", "65536"),
    ])
    {
        Unit = [("Documentation", "https://grafana.com/docs/"), ("After", "network-online.target victoria-metrics.service"), ("Wants", "network-online.target")],
    };

    /// <summary>
    /// VictoriaLogs from a bundle package that installs the release binary as <c>/usr/bin/victoria-logs</c>; it runs as a
    /// dynamic user with its data in <c>/var/lib/victoria-logs</c>, so the package needs no user of its own. Loopback only,
    /// like the others: no node ships logs to it yet (no vector in the bundle); that will need the node's address and a login.
    /// </summary>
    public static SystemdUnit VictoriaLogs(InfraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("victoria-logs.service", "VictoriaLogs: the site's log database (vlogs)", [
            ("DynamicUser", "yes"),
            ("StateDirectory", "victoria-logs"),
            ("ExecStart", ExecLine.Of("/usr/bin/victoria-logs",
                "-storageDataPath=/var/lib/victoria-logs",
                $"-httpListenAddr={Loopback(settings.VlogsPort)}",
                $"-retentionPeriod={settings.Retention}")),
            ("Restart", "on-failure"),
            ("RestartSec", "5"),
            ("TimeoutStopSec", "120"),
            ("LimitNOFILE", "1048576"),
        ])
        {
            Unit = [("Documentation", "https://docs.victoriametrics.com/victorialogs/"), .. Network],
        };
    }

    /// <summary>VictoriaMetrics' flags; tests pass their own paths to run it with exactly these settings.</summary>
    public static string[] VictoriaMetricsArguments(InfraSettings settings, string scrapeConfig = ScrapeConfig.Path,
        string storage = "/var/lib/victoria-metrics")
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            $"-storageDataPath={storage}",
            $"-httpListenAddr={Loopback(settings.VmetricsPort)}",
            $"-retentionPeriod={settings.Retention}",
            $"-promscrape.config={scrapeConfig}",
            "-promscrape.fileSDCheckInterval=10s",
        ];
    }

    /// <summary>vmalert's flags: every rule file in the directory, VictoriaMetrics as datasource and state store, Alertmanager as notifier.</summary>
    public static string[] VmalertArguments(InfraSettings settings, string rules = NodePaths.AlertRules)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var vmetrics = $"http://127.0.0.1:{Port(settings.VmetricsPort)}";
        return
        [
            $"-rule={rules}/*.yml",
            $"-datasource.url={vmetrics}",
            $"-remoteWrite.url={vmetrics}",
            $"-remoteRead.url={vmetrics}",
            $"-notifier.url=http://127.0.0.1:{Port(settings.AlertmanagerPort)}",
            $"-httpListenAddr={Loopback(settings.VmalertPort)}",
            $"-evaluationInterval={settings.EvaluationInterval}",
            // Rule files that ETCD and PGSQL add later are picked up without a restart.
            "-configCheckInterval=30s",
            $"-external.url=http://{HostAddress.ForUri(settings.Address)}",
        ];
    }

    /// <summary>Alertmanager's flags; the port is Pigsty's 9059 (Debian's build takes it with --web.listen-address).</summary>
    public static string[] AlertmanagerArguments(InfraSettings settings, string config = AlertmanagerConfig.Path,
        string storage = "/var/lib/prometheus/alertmanager")
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            $"--config.file={config}",
            $"--storage.path={storage}",
            $"--web.listen-address={Loopback(settings.AlertmanagerPort)}",
            // One Alertmanager per infra node, no gossip between them: an empty address turns clustering off.
            "--cluster.listen-address=",
            $"--web.external-url=http://{HostAddress.ForUri(settings.Address)}/alertmgr/",
            "--web.route-prefix=/",
        ];
    }

    /// <summary>blackbox_exporter's flags.</summary>
    public static string[] BlackboxArguments(InfraSettings settings, string config = BlackboxConfig.Path)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return [$"--config.file={config}", $"--web.listen-address={Loopback(settings.BlackboxPort)}"];
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A listen address on loopback only (see the remarks on the class).</summary>
    private static string Loopback(int port) => $"127.0.0.1:{Port(port)}";
}

using System.Net;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>NODE's service units; each shadows the Debian package's unit of the same name, so no second copy can start.</summary>
public static class NodeUnits
{
    /// <summary>chronyd as Debian runs it (privileges dropped by chronyd itself, seccomp on), reading only our chrony.conf.</summary>
    public static SystemdUnit Chrony() => new("chrony.service", "chrony, an NTP client/server", [
        ("Type", "forking"),
        ("PIDFile", "/run/chrony/chronyd.pid"),
        ("User", "_chrony"),
        // '!': started as root (it sets the clock), chronyd drops to _chrony itself; -F 1 turns on its seccomp filter.
        ("ExecStart", ExecLine.Of("!/usr/sbin/chronyd", "-F", "1")),
        ("Restart", "on-failure"),
        ("RestartSec", "5"),
        ("ConfigurationDirectory", "chrony"),
        ("RuntimeDirectory", "chrony"),
        ("RuntimeDirectoryMode", "0700"),
        ("RuntimeDirectoryPreserve", "restart"),
        ("StateDirectory", "chrony"),
        ("StateDirectoryMode", "0750"),
        ("LogsDirectory", "chrony"),
        ("LogsDirectoryMode", "0750"),
        ("PrivateTmp", "yes"),
        ("ProtectHome", "yes"),
        ("ProtectSystem", "full"),
    ])
    {
        Unit =
        [
            ("Documentation", "man:chronyd(8) man:chronyc(1) man:chrony.conf(5)"),
            ("Conflicts", "openntpd.service ntp.service ntpsec.service systemd-timesyncd.service"),
            ("Wants", "time-sync.target"),
            ("Before", "time-sync.target"),
            ("After", "network.target"),
        ],
        Comments = ["Debian's alias chronyd.service (a symlink the package made) keeps pointing at this unit."],
    };

    /// <summary>HAProxy in master-worker mode loading haproxy.cfg, then every service file in conf.d; reload checks first.</summary>
    public static SystemdUnit Haproxy()
    {
        string[] config = ["-f", HaproxyConfig.Path, "-f", NodePaths.HaproxyServices];
        return new SystemdUnit("haproxy.service", "HAProxy load balancer: admin page and PostgreSQL services", [
            ("Type", "notify"),
            ("ExecStartPre", ExecLine.Of("/usr/sbin/haproxy", ["-c", "-q", .. config])),
            ("ExecStart", ExecLine.Of("/usr/sbin/haproxy", ["-Ws", .. config, "-p", "/run/haproxy.pid", "-S", "/run/haproxy-master.sock"])),
            ("ExecReload", ExecLine.Of("/usr/sbin/haproxy", ["-c", "-q", .. config])),
            ("ExecReload", ExecLine.Of("/bin/kill", "-USR2", "$MAINPID")),
            ("KillMode", "mixed"),
            ("Restart", "always"),
            ("RestartSec", "5"),
            ("SuccessExitStatus", "143"),
            ("LimitNOFILE", "1048576"),
        ])
        {
            Unit =
            [
                ("Documentation", "man:haproxy(1) file:/usr/share/doc/haproxy/configuration.txt.gz"),
                ("After", "network-online.target"),
                ("Wants", "network-online.target"),
            ],
        };
    }

    /// <summary>keepalived for the node VIP, reading only our configuration (Debian's unit also reads /etc/default/keepalived).</summary>
    public static SystemdUnit Keepalived() => new("keepalived.service", "keepalived: the node VIP (VRRP)", [
        ("Type", "simple"),
        ("ExecStartPre", ExecLine.Of("/usr/sbin/keepalived", "-t", "-f", KeepalivedConfig.Path)),
        ("ExecStart", ExecLine.Of("/usr/sbin/keepalived", "--dont-fork", "--log-console", "-f", KeepalivedConfig.Path)),
        ("ExecReload", ExecLine.Of("/bin/kill", "-HUP", "$MAINPID")),
        ("KillMode", "process"),
        ("Restart", "always"),
        ("RestartSec", "5"),
    ])
    {
        Unit =
        [
            ("Documentation", "man:keepalived(8) man:keepalived.conf(5)"),
            ("After", "network-online.target"),
            ("Wants", "network-online.target"),
        ],
    };

    /// <summary>
    /// node_exporter with Pigsty's collector choices, on the node's <paramref name="address"/> only: the INFRA node scrapes it
    /// from there, and nothing needs it on other addresses (a VIP, a second network).
    /// </summary>
    public static SystemdUnit NodeExporter(IPAddress address, int port) => new("prometheus-node-exporter.service", "Prometheus exporter for machine metrics (node_exporter)", [
        ("User", "prometheus"),
        ("ExecStart", ExecLine.Of("/usr/bin/prometheus-node-exporter",
            $"--web.listen-address={new IPEndPoint(address, port)}",
            "--collector.textfile.directory=/var/lib/prometheus/node-exporter",
            "--collector.tcpstat",
            "--collector.processes",
            "--no-collector.softnet",
            "--no-collector.nvme")),
        ("Restart", "on-failure"),
        ("RestartSec", "5"),
    ])
    {
        Unit =
        [
            ("Documentation", "https://github.com/prometheus/node_exporter"),
            ("After", "network-online.target"),
            ("Wants", "network-online.target"),
        ],
    };
}

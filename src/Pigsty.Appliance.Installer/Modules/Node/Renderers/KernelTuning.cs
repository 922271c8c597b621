using System.Globalization;
using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>Kernel parameters and login limits for a PostgreSQL node (after Pigsty's <c>oltp</c> tuned profile).</summary>
public static class KernelTuning
{
    public const string SysctlPath = "/etc/sysctl.d/90-pigsty.conf";

    public const string LimitsPath = "/etc/security/limits.d/90-pigsty.conf";

    /// <summary>
    /// The sysctl file. <paramref name="overcommitRatio"/> &gt; 0 turns on strict overcommit (mode 2) with that ratio, as Pigsty's
    /// <c>node_overcommit_ratio</c> does; 0 keeps the kernel's heuristic, which Go daemons (VictoriaMetrics) need on small nodes.
    /// </summary>
    public static string RenderSysctl(int overcommitRatio, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var text = new StringBuilder("# written by pigsty-appliance (NODE); applied at boot by systemd-sysctl.\n")
            .Append("# Lines starting with '-' may not exist on every kernel: a failure to set them is ignored.\n\n")
            .Append("# memory: keep PostgreSQL's buffers and the page cache in RAM, flush dirty pages early and steadily\n")
            .Append("vm.swappiness = 1\n")
            .Append("vm.overcommit_memory = ").Append(overcommitRatio > 0 ? 2 : 0).Append('\n')
            .Append("vm.overcommit_ratio = ").Append(overcommitRatio > 0 ? overcommitRatio.ToString(CultureInfo.InvariantCulture) : "100").Append('\n')
            .Append("vm.dirty_background_ratio = 3\n")
            .Append("vm.dirty_ratio = 30\n")
            .Append("vm.zone_reclaim_mode = 0\n")
            .Append("-kernel.numa_balancing = 0\n")
            .Append("# do not group a session's processes: every backend is scheduled on its own\n")
            .Append("-kernel.sched_autogroup_enabled = 0\n\n")
            .Append("# files: many backends, each with many open relations; async I/O for the WAL and backups\n")
            .Append("fs.file-max = 167772160\n")
            .Append("fs.aio-max-nr = 1048576\n\n")
            .Append("# network: deep listen queues for connection storms, keepalives that notice dead peers within a minute\n")
            .Append("net.core.somaxconn = 65535\n")
            .Append("net.core.netdev_max_backlog = 8192\n")
            .Append("net.ipv4.tcp_max_syn_backlog = 8192\n")
            .Append("net.ipv4.ip_local_port_range = 32768 65000\n")
            .Append("net.ipv4.tcp_tw_reuse = 1\n")
            .Append("net.ipv4.tcp_keepalive_time = 60\n")
            .Append("net.ipv4.tcp_keepalive_intvl = 20\n")
            .Append("net.ipv4.tcp_keepalive_probes = 3\n")
            .Append("# HAProxy and vip-manager bind service addresses (VIPs) this node may not hold yet\n")
            .Append("net.ipv4.ip_nonlocal_bind = 1\n");
        if (extra.Count > 0)
        {
            text.Append("\n# node_sysctl_params from the inventory\n");
            foreach (var (key, value) in extra)
            {
                text.Append(key).Append(" = ").Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Login-session limits; services get theirs from their units (pam_limits does not apply to them). No core dumps: a dump of
    /// psql, pgbouncer or a shell holds whatever passwords were in its memory, so <c>core</c> keeps the system default (0).
    /// </summary>
    public static string RenderLimits()
    {
        var text = new StringBuilder("# written by pigsty-appliance (NODE): limits for login sessions (psql, pg_dump, admin shells).\n")
            .Append("# '*' does not match root in pam_limits, so root is listed too. No 'core' line: core dumps stay off (they hold secrets).\n");
        foreach (var who in new[] { "*", "root" })
        {
            foreach (var (item, value) in new[] { ("nofile", "1048576"), ("nproc", "unlimited"), ("memlock", "unlimited") })
            {
                foreach (var kind in new[] { "soft", "hard" })
                {
                    text.Append(who).Append('\t').Append(kind).Append('\t').Append(item).Append('\t').Append(value).Append('\n');
                }
            }
        }

        return text.ToString();
    }
}

using System.Globalization;
using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>
/// Kernel parameters of Pigsty's <c>node_tune</c> profiles (oltp, olap, crit, tiny: the sysctl part of its tuned profiles; there is
/// no tuned daemon here, so their cpu, transparent-hugepage and disk-scheduler parts are not applied) and login limits.
/// </summary>
public static class KernelTuning
{
    public const string SysctlPath = "/etc/sysctl.d/90-pigsty.conf";

    public const string LimitsPath = "/etc/security/limits.d/90-pigsty.conf";

    /// <summary>The profiles <c>node_tune</c> names; <c>none</c> writes only <c>node_sysctl_params</c>.</summary>
    public static readonly IReadOnlyList<string> Profiles = ["oltp", "olap", "crit", "tiny", "none"];

    /// <summary>
    /// <c>fs.nr_open</c> as Pigsty sets it (its default <c>node_sysctl_params</c> and every <c>node_tune</c> profile): the most open
    /// files one process may have, so the highest LimitNOFILE a unit can ask for (systemd 257 refuses to start a unit asking more).
    /// </summary>
    public const string NrOpen = "8388608";

    /// <summary>Pigsty's default <c>node_sysctl_params</c>: systemd units raise LimitNOFILE above the kernel's nr_open otherwise.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> DefaultExtra = [KeyValuePair.Create("fs.nr_open", NrOpen)];

    /// <summary>
    /// The sysctl file. <paramref name="overcommitRatio"/> &gt; 0 turns on strict overcommit (mode 2) with that ratio; 0 keeps the
    /// profile's (the kernel's heuristic, which Go daemons such as VictoriaMetrics need on small nodes).
    /// </summary>
    public static string RenderSysctl(string profile, int overcommitRatio, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(extra);
        if (!Profiles.Contains(profile))
        {
            throw new ArgumentException($"unknown node_tune profile '{profile}'", nameof(profile));
        }

        var text = new StringBuilder("# written by pigsty-appliance (NODE): node_tune ").Append(profile).Append("; applied at boot by systemd-sysctl.\n")
            .Append("# Lines starting with '-' may not exist on every kernel: a failure to set them is ignored.\n");
        if (profile != "none")
        {
            var tiny = profile == "tiny";
            var olap = profile == "olap";
            var crit = profile == "crit";
            text.Append("\n# scheduler and IPC: every backend scheduled on its own, room for many semaphores and message queues\n")
                .Append("-kernel.numa_balancing = 0\n")
                .Append("-kernel.sched_autogroup_enabled = 0\n")
                .Append("# kernel.shmmax and shmall keep the kernel's 64-bit defaults (no limit); PostgreSQL uses little System V memory\n")
                .Append("kernel.shmmni = 8192\n");
            if (!tiny)
            {
                text.Append("kernel.msgmni = 32768\nkernel.msgmnb = 65536\nkernel.msgmax = 65536\nkernel.pid_max = 131072\nkernel.sem = 4096 524288 2048 8192\n");
            }

            text.Append("\n# memory: keep buffers and page cache in RAM; dirty pages flushed ")
                .Append(crit ? "almost at once" : olap ? "in large batches" : "early and steadily").Append('\n')
                .Append("vm.swappiness = ").Append(tiny ? 10 : 1).Append('\n')
                .Append("vm.zone_reclaim_mode = 0\n");
            if (overcommitRatio > 0)
            {
                text.Append("vm.overcommit_memory = 2\nvm.overcommit_ratio = ").Append(overcommitRatio.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            else if (!olap)
            {
                text.Append("vm.overcommit_memory = 0\nvm.overcommit_ratio = ").Append(tiny ? 200 : 100).Append('\n');
            }

            var (background, ratio) = profile switch { "olap" => (10, 80), "crit" => (1, 5), "tiny" => (5, 30), _ => (3, 15) };
            text.Append("vm.dirty_background_ratio = ").Append(background).Append('\n')
                .Append("vm.dirty_ratio = ").Append(ratio).Append('\n');
            if (!olap && !tiny)
            {
                text.Append("vm.dirty_expire_centisecs = ").Append(crit ? 100 : 500).Append("\nvm.dirty_writeback_centisecs = 100\n");
            }

            text.Append("vm.mmap_min_addr = 65536\n")
                .Append("\n# files: many backends, each with many open relations; async I/O for the WAL and backups\n")
                .Append("fs.file-max = ").Append(olap ? "134217728" : "16777216").Append('\n')
                .Append("fs.nr_open = ").Append(NrOpen).Append('\n')
                .Append("fs.aio-max-nr = 1048576\n");

            var maxBuffer = olap ? "33554432" : "16777216";
            text.Append("\n# network: deep listen queues for connection storms, keepalives that notice dead peers\n")
                .Append("net.core.somaxconn = ").Append(tiny ? 8192 : 65535).Append('\n')
                .Append("net.core.netdev_max_backlog = ").Append(tiny ? 2048 : 8192).Append('\n')
                .Append("net.core.rmem_default = 262144\nnet.core.wmem_default = 262144\n")
                .Append("net.core.rmem_max = ").Append(olap ? 16777216 : 4194304).Append('\n')
                .Append("net.core.wmem_max = ").Append(olap ? 16777216 : 4194304).Append('\n')
                .Append("net.ipv4.tcp_rmem = 4096 87380 ").Append(maxBuffer).Append('\n')
                .Append("net.ipv4.tcp_wmem = 4096 16384 ").Append(maxBuffer).Append('\n')
                .Append("net.ipv4.udp_mem = 3145728 4194304 ").Append(maxBuffer).Append('\n')
                .Append("net.ipv4.ping_group_range = 0 65535\n")
                .Append("net.ipv4.ip_forward = 1\n")
                .Append("# HAProxy and vip-manager bind service addresses (VIPs) this node may not hold yet\n")
                .Append("net.ipv4.ip_nonlocal_bind = 1\n")
                .Append("net.ipv4.tcp_timestamps = 1\n")
                .Append("net.ipv4.tcp_syncookies = ").Append(olap || crit ? 1 : 0).Append('\n')
                .Append("net.ipv4.ip_local_port_range = 10000 64999\n")
                .Append("net.ipv4.tcp_tw_reuse = ").Append(olap ? 0 : 1).Append('\n')
                .Append("net.ipv4.tcp_synack_retries = ").Append(crit ? 2 : 3).Append('\n')
                .Append("net.ipv4.tcp_syn_retries = ").Append(crit ? 2 : 3).Append('\n')
                .Append("net.ipv4.tcp_keepalive_time = ").Append(olap ? 300 : 60).Append('\n')
                .Append("net.ipv4.tcp_keepalive_intvl = ").Append(olap ? 60 : 20).Append('\n')
                .Append("net.ipv4.tcp_keepalive_probes = ").Append(olap ? 5 : 3).Append('\n')
                .Append("net.ipv4.tcp_fin_timeout = ").Append(profile switch { "olap" => 60, "oltp" => 15, _ => 30 }).Append('\n')
                .Append("net.ipv4.tcp_max_tw_buckets = 262144\n")
                .Append("net.ipv4.tcp_max_syn_backlog = ").Append(tiny ? 4096 : 8192).Append('\n')
                .Append("# only present once nf_conntrack is loaded\n")
                .Append("-net.netfilter.nf_conntrack_max = ").Append(tiny ? 65536 : 524288).Append('\n');
        }

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

using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>
/// NODE's steps for <c>node_tune</c>, <c>node_crontab</c>, <c>node_timezone</c> and <c>node_dns_servers</c>: planned from the inventory,
/// applied to a fake machine (real files under a temp root), leaving what Pigsty's node role leaves.
/// </summary>
public sealed class NodeParameterTests : IDisposable
{
    /// <summary>
    /// Pigsty's oltp profile (roles/node/templates/tuned-oltp.conf, [sysctl]) without kernel.shmall and shmmax, which it derives from
    /// the node's memory and we leave at the kernel's unlimited 64-bit defaults.
    /// </summary>
    private static readonly Dictionary<string, string> Oltp = new(StringComparer.Ordinal)
    {
        ["kernel.numa_balancing"] = "0", ["kernel.sched_autogroup_enabled"] = "0", ["kernel.shmmni"] = "8192", ["kernel.msgmni"] = "32768",
        ["kernel.msgmnb"] = "65536", ["kernel.msgmax"] = "65536", ["kernel.pid_max"] = "131072", ["kernel.sem"] = "4096 524288 2048 8192",
        ["vm.swappiness"] = "1", ["vm.zone_reclaim_mode"] = "0", ["vm.overcommit_memory"] = "0", ["vm.overcommit_ratio"] = "100",
        ["vm.dirty_background_ratio"] = "3", ["vm.dirty_ratio"] = "15", ["vm.dirty_expire_centisecs"] = "500", ["vm.dirty_writeback_centisecs"] = "100",
        ["vm.mmap_min_addr"] = "65536", ["fs.file-max"] = "16777216", ["fs.nr_open"] = "8388608", ["fs.aio-max-nr"] = "1048576",
        ["net.core.somaxconn"] = "65535", ["net.core.netdev_max_backlog"] = "8192", ["net.core.rmem_default"] = "262144",
        ["net.core.wmem_default"] = "262144", ["net.core.rmem_max"] = "4194304", ["net.core.wmem_max"] = "4194304",
        ["net.ipv4.tcp_rmem"] = "4096 87380 16777216", ["net.ipv4.tcp_wmem"] = "4096 16384 16777216", ["net.ipv4.udp_mem"] = "3145728 4194304 16777216",
        ["net.ipv4.ping_group_range"] = "0 65535", ["net.ipv4.ip_forward"] = "1", ["net.ipv4.ip_nonlocal_bind"] = "1", ["net.ipv4.tcp_timestamps"] = "1",
        ["net.ipv4.tcp_syncookies"] = "0", ["net.ipv4.ip_local_port_range"] = "10000 64999", ["net.ipv4.tcp_tw_reuse"] = "1",
        ["net.ipv4.tcp_synack_retries"] = "3", ["net.ipv4.tcp_syn_retries"] = "3", ["net.ipv4.tcp_keepalive_time"] = "60",
        ["net.ipv4.tcp_keepalive_intvl"] = "20", ["net.ipv4.tcp_keepalive_probes"] = "3", ["net.ipv4.tcp_fin_timeout"] = "15",
        ["net.ipv4.tcp_max_tw_buckets"] = "262144", ["net.ipv4.tcp_max_syn_backlog"] = "8192", ["net.netfilter.nf_conntrack_max"] = "524288",
    };

    /// <summary>How Pigsty's other profiles differ from oltp; null: the profile does not set it.</summary>
    private static readonly Dictionary<string, Dictionary<string, string?>> Differences = new(StringComparer.Ordinal)
    {
        ["oltp"] = [],
        ["olap"] = new(StringComparer.Ordinal)
        {
            ["vm.overcommit_memory"] = null, ["vm.overcommit_ratio"] = null, ["vm.dirty_expire_centisecs"] = null, ["vm.dirty_writeback_centisecs"] = null,
            ["vm.dirty_background_ratio"] = "10", ["vm.dirty_ratio"] = "80", ["fs.file-max"] = "134217728", ["net.core.rmem_max"] = "16777216",
            ["net.core.wmem_max"] = "16777216", ["net.ipv4.tcp_rmem"] = "4096 87380 33554432", ["net.ipv4.tcp_wmem"] = "4096 16384 33554432",
            ["net.ipv4.udp_mem"] = "3145728 4194304 33554432", ["net.ipv4.tcp_syncookies"] = "1", ["net.ipv4.tcp_tw_reuse"] = "0",
            ["net.ipv4.tcp_keepalive_time"] = "300", ["net.ipv4.tcp_keepalive_intvl"] = "60", ["net.ipv4.tcp_keepalive_probes"] = "5",
            ["net.ipv4.tcp_fin_timeout"] = "60",
        },
        ["crit"] = new(StringComparer.Ordinal)
        {
            ["vm.dirty_background_ratio"] = "1", ["vm.dirty_ratio"] = "5", ["vm.dirty_expire_centisecs"] = "100", ["net.ipv4.tcp_syncookies"] = "1",
            ["net.ipv4.tcp_synack_retries"] = "2", ["net.ipv4.tcp_syn_retries"] = "2", ["net.ipv4.tcp_fin_timeout"] = "30",
        },
        ["tiny"] = new(StringComparer.Ordinal)
        {
            ["kernel.msgmni"] = null, ["kernel.msgmnb"] = null, ["kernel.msgmax"] = null, ["kernel.pid_max"] = null, ["kernel.sem"] = null,
            ["vm.dirty_expire_centisecs"] = null, ["vm.dirty_writeback_centisecs"] = null, ["vm.swappiness"] = "10", ["vm.overcommit_ratio"] = "200",
            ["vm.dirty_background_ratio"] = "5", ["vm.dirty_ratio"] = "30", ["net.core.somaxconn"] = "8192", ["net.core.netdev_max_backlog"] = "2048",
            ["net.ipv4.tcp_fin_timeout"] = "30", ["net.ipv4.tcp_max_syn_backlog"] = "4096", ["net.netfilter.nf_conntrack_max"] = "65536",
        },
    };

    private readonly TempDirectory _root = new();
    private readonly FakeMachine _machine;

    public NodeParameterTests() => _machine = new FakeMachine(_root.Path);

    public void Dispose() => _root.Dispose();

    /// <summary>The single-node inventory with <paramref name="vars"/> (YAML lines) added to all.vars.</summary>
    private static string With(string vars) => TestNode.SingleNode.Replace("    admin_ip: 10.10.10.10\n",
        "    admin_ip: 10.10.10.10\n" + string.Concat(vars.Split('\n').Select(l => "    " + l + "\n")), StringComparison.Ordinal);

    private StepContext Context(string inventory) => new(TestNode.Create(_root.Path, inventory), _machine, NullLogger.Instance);

    private static IReadOnlyList<Step> Plan(StepContext context) => new NodeModule(InstallModules.Descriptors).Plan(context.Node).Steps;

    private static Step StepOf(StepContext context, string id) => Assert.Single(Plan(context), s => s.Id == id);

    private string Read(string nodePath) => File.ReadAllText(Path.Join(_root.Path, nodePath));

    /// <summary>The settings a sysctl file makes, as sysctl reads them ('-' only says a missing key is no error; a later line wins).</summary>
    private static Dictionary<string, string> Sysctls(string file) => file.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.TrimStart('-').Split(" = ", 2))
        .GroupBy(p => p[0], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    [Theory]
    [InlineData("oltp")]
    [InlineData("olap")]
    [InlineData("crit")]
    [InlineData("tiny")]
    public async Task Node_tune_writes_the_sysctl_values_of_pigstys_profile_and_loads_them(string profile)
    {
        var context = Context(With($"node_tune: {profile}"));

        Assert.True(await StepRunner.RunAsync(StepOf(context, "node.tune"), context));

        var expected = new Dictionary<string, string>(Oltp, StringComparer.Ordinal);
        foreach (var (key, value) in Differences[profile])
        {
            if (value is null)
            {
                expected.Remove(key);
            }
            else
            {
                expected[key] = value;
            }
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), Sysctls(Read(KernelTuning.SysctlPath)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Contains($"# written by pigsty-appliance (NODE): node_tune {profile};", Read(KernelTuning.SysctlPath), StringComparison.Ordinal);
        Assert.Contains("sysctl -e -q -p /etc/sysctl.d/90-pigsty.conf", _machine.Scripted.Calls);
    }

    [Fact]
    public void Node_tune_defaults_to_oltp_and_none_keeps_only_node_sysctl_params()
    {
        var none = NodeSettings.From(TestNode.Create(_root.Path, With("node_tune: none\nnode_sysctl_params: { vm.nr_hugepages: 64 }")));

        Assert.Equal("oltp", NodeSettings.From(TestNode.Create(_root.Path)).Tune);
        Assert.Equal(new Dictionary<string, string> { ["vm.nr_hugepages"] = "64" }, Sysctls(KernelTuning.RenderSysctl(none.Tune, none.OvercommitRatio, none.ExtraSysctl)));
    }

    [Fact]
    public void Node_tune_outside_pigstys_profiles_is_an_input_error_naming_the_line()
    {
        var error = Assert.Throws<InputException>(() => NodeSettings.From(TestNode.Create(_root.Path, With("node_tune: fast"))));

        Assert.Contains("pigsty.yml:8", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown node_tune 'fast' (expected oltp, olap, crit, tiny, none)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_crontab_lines_become_timers_running_as_their_user_and_checked_by_systemd()
    {
        var context = Context(With("node_crontab:\n  - '00 01 * * * postgres /pg/bin/pg-backup full'\n  - '*/30 9-17 * * 1-5 root /usr/bin/true'"));

        Assert.True(await StepRunner.RunAsync(StepOf(context, "node.crontab"), context));

        var backup = Read("/etc/systemd/system/pigsty-node-cron-1.service");
        Assert.Contains("\nUser=postgres\n", backup, StringComparison.Ordinal);
        Assert.Contains("\nExecStart=/bin/sh -c \"/pg/bin/pg-backup full\"\n", backup, StringComparison.Ordinal);
        Assert.Contains("\nOnCalendar=*-*-* 1:0:00\n", Read("/etc/systemd/system/pigsty-node-cron-1.timer"), StringComparison.Ordinal);
        var workdays = Read("/etc/systemd/system/pigsty-node-cron-2.timer");
        Assert.Contains("\nOnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 9,10,11,12,13,14,15,16,17:0,30:00\n", workdays, StringComparison.Ordinal);
        Assert.Contains("enable pigsty-node-cron-1.timer", _machine.FakeServices.Calls);
        Assert.Contains("start pigsty-node-cron-2.timer", _machine.FakeServices.Calls);

        // systemd itself reads the schedules: 01:00 every day, and every half hour from 9 to 17 on workdays.
        var calendar = await RealTool.CheckAsync("systemd-analyze", "calendar", "*-*-* 1:0:00", "Mon,Tue,Wed,Thu,Fri *-*-* 9,10,11,12,13,14,15,16,17:0,30:00");
        Assert.Contains("Normalized form: *-*-* 01:00:00", calendar.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Normalized form: Mon..Fri *-*-* 09,10,11,12,13,14,15,16,17:00,30:00", calendar.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_crontab_overwrite_removes_the_timers_of_entries_no_longer_listed_and_false_keeps_them()
    {
        var two = Context(With("node_crontab: ['0 1 * * * root /usr/bin/true', '0 2 * * * root /usr/bin/false']"));
        await StepRunner.RunAsync(StepOf(two, "node.crontab"), two);
        var kept = Context(With("node_crontab: ['0 1 * * * root /usr/bin/true']\nnode_crontab_overwrite: false"));
        var one = Context(With("node_crontab: ['0 1 * * * root /usr/bin/true']"));

        Assert.False(await StepRunner.RunAsync(StepOf(kept, "node.crontab"), kept));
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/systemd/system/pigsty-node-cron-2.timer")));
        Assert.True(await StepRunner.RunAsync(StepOf(one, "node.crontab"), one));
        Assert.False(File.Exists(Path.Join(_root.Path, "/etc/systemd/system/pigsty-node-cron-2.timer")));
        Assert.False(File.Exists(Path.Join(_root.Path, "/etc/systemd/system/pigsty-node-cron-2.service")));
        Assert.Contains("stop pigsty-node-cron-2.timer", _machine.FakeServices.Calls);
    }

    [Fact]
    public async Task Node_crontab_emptied_or_removed_takes_away_the_timers_an_earlier_run_wrote_and_then_has_nothing_to_do()
    {
        var two = Context(With("node_crontab: ['0 1 * * * root /usr/bin/true', '0 2 * * * root /usr/bin/false']"));
        await StepRunner.RunAsync(StepOf(two, "node.crontab"), two);
        var emptied = Context(With("node_crontab: []"));

        // The second run, with the list emptied: every timer and service we wrote goes, and systemd forgets them.
        Assert.True(await StepRunner.RunAsync(StepOf(emptied, "node.crontab"), emptied));

        Assert.Empty(Directory.GetFiles(Path.Join(_root.Path, "etc/systemd/system"), "pigsty-node-cron-*"));
        Assert.Contains("stop pigsty-node-cron-1.timer", _machine.FakeServices.Calls);
        Assert.Contains("stop pigsty-node-cron-2.timer", _machine.FakeServices.Calls);
        Assert.Equal("daemon-reload", _machine.FakeServices.Calls[^1]);

        // A third run, emptied or without node_crontab at all, converges with nothing to do.
        Assert.False(await StepRunner.RunAsync(StepOf(emptied, "node.crontab"), emptied));
        var unset = Context(TestNode.SingleNode);
        Assert.Equal("no crontab timers (pigsty-node-cron-*)", StepOf(unset, "node.crontab").Title);
        Assert.False(await StepRunner.RunAsync(StepOf(unset, "node.crontab"), unset));

        // node_crontab_overwrite: false keeps what is there, so an empty list plans nothing.
        Assert.DoesNotContain(Plan(Context(With("node_crontab_overwrite: false"))), s => s.Id == "node.crontab");
    }

    [Fact]
    public void Node_crontab_line_without_a_user_is_an_input_error_naming_the_line()
    {
        var error = Assert.Throws<InputException>(() => NodeSettings.From(TestNode.Create(_root.Path, With("node_crontab: ['0 1 * * *']"))));

        Assert.Contains("pigsty.yml:8", error.Message, StringComparison.Ordinal);
        Assert.Contains("'0 1 * * *' is not a crontab line this appliance can run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_timezone_links_localtime_to_the_zone_and_names_it_in_etc_timezone()
    {
        var linked = "";
        _machine.Scripted.On(s => s.FileName == "ln", s => { linked = s.Arguments[1]; return ScriptedProcesses.Ok(); });
        _machine.Scripted.On(s => s.FileName == "readlink", _ => ScriptedProcesses.Ok(linked + "\n"));
        _root.Write("usr/share/zoneinfo/Asia/Shanghai", "TZif");
        var context = Context(With("node_timezone: Asia/Shanghai"));

        Assert.True(await StepRunner.RunAsync(StepOf(context, "node.timezone"), context));

        Assert.Equal("Asia/Shanghai\n", Read("/etc/timezone"));
        Assert.Contains("ln -sfn /usr/share/zoneinfo/Asia/Shanghai /etc/localtime", _machine.Scripted.Calls);
        Assert.False(await StepRunner.RunAsync(StepOf(context, "node.timezone"), context));
        Assert.DoesNotContain(Plan(Context(TestNode.SingleNode)), s => s.Id == "node.timezone");
    }

    [Fact]
    public async Task Node_timezone_the_node_has_no_tzdata_for_fails_the_step_and_changes_nothing()
    {
        var context = Context(With("node_timezone: Mars/Olympus"));

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(StepOf(context, "node.timezone"), context));

        Assert.Contains("node_timezone 'Mars/Olympus': /usr/share/zoneinfo/Mars/Olympus does not exist (is tzdata installed, is the name right?)",
            error.InnerException?.Message ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(_machine.Scripted.Calls, c => c.StartsWith("ln ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Node_dns_servers_come_first_in_resolv_conf_with_admin_ip_expanded_and_the_old_servers_after()
    {
        _root.Write("etc/resolv.conf", "nameserver 192.168.1.1\nsearch lan\n");
        var context = Context(With("node_dns_servers: ['${admin_ip}', 10.10.10.2]"));

        Assert.True(await StepRunner.RunAsync(StepOf(context, "node.dns"), context));

        Assert.Equal("# written by pigsty-appliance (NODE): node_dns_method add\nnameserver 10.10.10.10\nnameserver 10.10.10.2\nnameserver 192.168.1.1\n"
            + "search lan\noptions single-request-reopen timeout:1\n", Read(ResolvConf.Path));
        Assert.False(await StepRunner.RunAsync(StepOf(context, "node.dns"), context));
    }

    [Fact]
    public async Task Node_dns_servers_alone_with_overwrite_and_untouched_with_none()
    {
        _root.Write("etc/resolv.conf", "nameserver 192.168.1.1\nsearch lan\n");
        var overwrite = Context(With("node_dns_servers: [10.10.10.2]\nnode_dns_method: overwrite"));

        await StepRunner.RunAsync(StepOf(overwrite, "node.dns"), overwrite);

        Assert.Equal("# written by pigsty-appliance (NODE): node_dns_method overwrite\nnameserver 10.10.10.2\noptions single-request-reopen timeout:1\n",
            Read(ResolvConf.Path));
        Assert.Equal(["10.10.10.10"], NodeSettings.From(TestNode.Create(_root.Path)).DnsServers);
        Assert.DoesNotContain(Plan(Context(With("node_dns_method: none"))), s => s.Id == "node.dns");
    }
}

using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Machine;

public sealed class SystemdServiceManagerTests
{
    private const string Running = "Type=simple\nResult=success\nActiveState=active\nSubState=running\n";

    private static bool IsShow(Core.Processes.ProcessSpec spec) => spec.Arguments is ["show", ..];

    [Fact]
    public async Task Every_systemctl_call_waits_for_PID_1_as_long_as_the_command_may_run_not_systemds_25_s()
    {
        var processes = new ScriptedProcesses();
        processes.On(IsShow, _ => ScriptedProcesses.Ok(Running));
        var services = new SystemdServiceManager(processes);

        await services.StartAsync("etcd.service", CancellationToken.None);
        await services.DaemonReloadAsync(CancellationToken.None);
        await services.MaskAsync(["nginx.service"], CancellationToken.None);
        await services.IsActiveAsync("etcd.service", CancellationToken.None);

        Assert.Equal(6, processes.Runs.Count);
        Assert.All(processes.Runs, run =>
        {
            Assert.Equal("systemctl", run.FileName);
            Assert.Equal("300s", run.Environment["SYSTEMD_BUS_TIMEOUT"]);
            Assert.Equal("1", run.Environment["SYSTEMCTL_SKIP_SYSV"]);
        });
    }

    [Fact]
    public async Task Enabling_a_unit_that_shadows_an_init_script_runs_no_sysv_install_which_would_reload_PID_1_twice()
    {
        // Real systemctl on a tree like a node's: our unit in /etc/systemd/system, the package's script in /etc/init.d. Offline
        // (--root) systemctl runs systemd-sysv-install just as it does on a booted node, there with update-rc.d's two reloads; in
        // this bare tree that chroot fails, so the call without the variable shows what it would have run.
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Join(temp.Path, "etc/systemd/system"));
        Directory.CreateDirectory(Path.Join(temp.Path, "etc/init.d"));
        await File.WriteAllTextAsync(Path.Join(temp.Path, "etc/systemd/system/etcd.service"),
            "[Service]\nExecStart=/usr/bin/etcd\n[Install]\nWantedBy=multi-user.target\n");
        await File.WriteAllTextAsync(Path.Join(temp.Path, "etc/init.d/etcd"), "#!/bin/sh\n");
        string[] enable = [$"--root={temp.Path}", "enable", "--no-reload", "etcd.service"];

        var stock = await ProcessRunner.Silent.RunAsync(new ProcessSpec("systemctl", enable) { ThrowOnNonZeroExit = false }, CancellationToken.None);
        var ours = await ProcessRunner.Silent.RunAsync(
            new ProcessSpec("systemctl", enable) { ThrowOnNonZeroExit = false, Environment = SystemdServiceManager.SystemctlEnvironment }, CancellationToken.None);

        Assert.Contains("systemd-sysv-install", stock.StandardOutput + stock.StandardError, StringComparison.Ordinal);
        Assert.True(ours.Succeeded, ours.StandardError);
        Assert.DoesNotContain("sysv", ours.StandardOutput + ours.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Join(temp.Path, "etc/systemd/system/multi-user.target.wants/etcd.service")));
    }

    [Fact]
    public async Task Only_the_calls_that_PID_1_must_see_now_reload_it()
    {
        var processes = new ScriptedProcesses();
        var services = new SystemdServiceManager(processes);

        await services.EnableAsync("etcd.service", CancellationToken.None);
        await services.MaskAsync(["nginx.service", "pgbouncer.socket"], CancellationToken.None);
        await services.UnmaskAsync("nftables.service", CancellationToken.None);

        Assert.Equal(
        [
            "enable --no-reload etcd.service",
            "disable --now --no-reload nginx.service pgbouncer.socket",
            "mask nginx.service pgbouncer.socket",
            "unmask nftables.service",
        ], processes.Runs.Select(r => string.Join(' ', r.Arguments)));
    }

    [Fact]
    public async Task A_start_is_queued_without_blocking_and_followed_until_its_job_is_gone()
    {
        var processes = new ScriptedProcesses();
        var looks = 0;
        processes.On(IsShow, _ => ScriptedProcesses.Ok(++looks < 3 ? "Type=notify\nJob=417\nActiveState=activating\nSubState=start\nResult=success\n" : Running));
        var services = new SystemdServiceManager(processes);

        await services.StartAsync("patroni.service", CancellationToken.None);

        Assert.Equal(
        [
            "start --no-block patroni.service",
            "show --property=Job,ActiveState,SubState,Result,Type patroni.service",
            "show --property=Job,ActiveState,SubState,Result,Type patroni.service",
            "show --property=Job,ActiveState,SubState,Result,Type patroni.service",
        ], processes.Runs.Select(r => string.Join(' ', r.Arguments)));
    }

    [Fact]
    public async Task A_reload_of_PID_1_runs_while_a_start_still_waits_for_its_unit()
    {
        // The convoy this replaces: a blocking start held the gate until its unit was up, so a mask (a reload) waited for it, and
        // every start after the mask waited for the mask. Here the unit comes up only once the daemon-reload has run.
        var processes = new ScriptedProcesses();
        var reloaded = false;
        processes.On(IsShow, _ => ScriptedProcesses.Ok(Volatile.Read(ref reloaded) ? Running : "Job=9\nActiveState=activating\nSubState=start\n"));
        processes.On(s => s.Arguments is ["daemon-reload"], _ =>
        {
            Volatile.Write(ref reloaded, true);
            return ScriptedProcesses.Ok();
        });
        var services = new SystemdServiceManager(processes, new SystemdCallGate()) { JobDeadline = TimeSpan.FromSeconds(20) };

        var start = services.StartAsync("alertmanager.service", CancellationToken.None);
        await services.DaemonReloadAsync(CancellationToken.None);
        await start;

        Assert.True(reloaded);
    }

    [Fact]
    public async Task A_unit_that_failed_to_start_fails_the_call_with_its_state_and_journal()
    {
        var processes = new ScriptedProcesses();
        processes.On(IsShow, _ => ScriptedProcesses.Ok("Type=notify\nActiveState=failed\nSubState=failed\nResult=exit-code\n"));
        processes.On(s => s.FileName == "journalctl", _ => ScriptedProcesses.Ok("haproxy[77]: [ALERT] config: parsing error in /etc/haproxy/haproxy.cfg\n"));
        var services = new SystemdServiceManager(processes);

        var error = await Assert.ThrowsAsync<InstallException>(() => services.RestartAsync("haproxy.service", CancellationToken.None));

        Assert.Contains("systemctl restart haproxy.service: the unit is failed (failed, result exit-code) after its restart job ended", error.Message);
        Assert.Contains("--- journal of haproxy.service ---", error.Message);
        Assert.Contains("parsing error in /etc/haproxy/haproxy.cfg", error.Message);
    }

    [Fact]
    public async Task A_job_that_never_ends_fails_at_the_deadline_naming_the_job()
    {
        var processes = new ScriptedProcesses();
        processes.On(IsShow, _ => ScriptedProcesses.Ok("Job=55\nActiveState=activating\nSubState=start-pre\nResult=success\n"));
        var services = new SystemdServiceManager(processes) { JobDeadline = TimeSpan.FromSeconds(1) };

        var error = await Assert.ThrowsAsync<InstallException>(() => services.StartAsync("etcd.service", CancellationToken.None));

        Assert.Contains("systemctl start etcd.service: after 1 s its job 55 was still pending (the unit is activating (start-pre, result success))", error.Message);
    }

    [Fact]
    public async Task A_failing_look_at_the_unit_is_retried_not_taken_as_its_state()
    {
        var processes = new ScriptedProcesses();
        var looks = 0;
        processes.On(IsShow, _ => ++looks == 1 ? ScriptedProcesses.Fail(1, "Failed to get properties: Transport endpoint is not connected") : ScriptedProcesses.Ok(Running));
        var services = new SystemdServiceManager(processes);

        await services.StartAsync("nginx.service", CancellationToken.None);

        Assert.Equal(2, looks);
    }
}

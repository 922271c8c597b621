using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Machine;

public sealed class SystemdServiceManagerTests
{
    [Fact]
    public async Task Every_systemctl_call_waits_for_PID_1_as_long_as_the_command_may_run_not_systemds_25_s()
    {
        var processes = new ScriptedProcesses();
        var services = new SystemdServiceManager(processes);

        await services.StartAsync("etcd.service", CancellationToken.None);
        await services.DaemonReloadAsync(CancellationToken.None);
        await services.MaskAsync(["nginx.service"], CancellationToken.None);
        await services.IsActiveAsync("etcd.service", CancellationToken.None);

        Assert.Equal(5, processes.Runs.Count);
        Assert.All(processes.Runs, run =>
        {
            Assert.Equal("systemctl", run.FileName);
            Assert.Equal("300s", run.Environment["SYSTEMD_BUS_TIMEOUT"]);
        });
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
}

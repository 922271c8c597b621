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
}

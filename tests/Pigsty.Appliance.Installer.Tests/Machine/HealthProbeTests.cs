using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Tests.Fakes;

namespace Pigsty.Appliance.Installer.Tests.Machine;

public sealed class HealthProbeTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private HealthProbe Probe() => new(new FakeServices(), _http, TimeProvider.System, ProcessRunner.Silent);

    [Fact]
    public async Task A_command_that_succeeds_is_healthy() =>
        await Probe().WaitForCommandAsync("chrony.service", ProcessSpec.Of("sh", "-c", "exit 0"), TimeSpan.FromSeconds(5), CancellationToken.None);

    [Fact]
    public async Task A_command_that_keeps_failing_times_out_with_its_error_and_the_units_journal()
    {
        var error = await Assert.ThrowsAsync<InstallException>(() =>
            Probe().WaitForCommandAsync("chrony.service", ProcessSpec.Of("sh", "-c", "echo 506 Cannot talk to daemon >&2; exit 1"), TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains("for 'sh -c", error.Reason, StringComparison.Ordinal);
        Assert.Contains("last error: exit 1: 506 Cannot talk to daemon", error.Reason, StringComparison.Ordinal);
        Assert.Contains("--- journal of chrony.service ---\nlast lines of chrony.service", error.Reason, StringComparison.Ordinal);
    }
}

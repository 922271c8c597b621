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

    [Fact]
    public void Quick_attempts_back_off_from_a_quarter_second_to_two_seconds()
    {
        var pauses = new List<TimeSpan>();
        var pause = TimeSpan.Zero;
        for (var i = 0; i < 8; i++)
        {
            pauses.Add(pause = HealthProbe.NextPause(pause, TimeSpan.FromMilliseconds(5)));
        }

        Assert.Equal([250, 375, 562.5, 843.75, 1265.625, 1898.4375, 2000, 2000], pauses.Select(p => p.TotalMilliseconds));
    }

    [Fact]
    public void An_expensive_attempt_pauses_four_times_its_cost_and_never_more_than_30_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), HealthProbe.NextPause(TimeSpan.Zero, TimeSpan.FromSeconds(1.5)));
        Assert.Equal(TimeSpan.FromSeconds(30), HealthProbe.NextPause(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)));
        // After a long pause the back-off is at its cap again, not above it.
        Assert.Equal(TimeSpan.FromSeconds(2), HealthProbe.NextPause(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(5)));
    }

    [Fact]
    public async Task The_last_attempt_comes_at_the_deadline_not_a_whole_pause_after_it()
    {
        // Each attempt takes 2 s, so the pause after the first would be 8 s: the second attempt comes at the 3 s deadline instead,
        // and the wait gives up when it fails, 5 s in (12 s without the clamp).
        var clock = new SteppingClock();
        var attempts = new List<TimeSpan>();
        var probe = new HealthProbe(new FakeServices(), _http, clock, ProcessRunner.Silent);

        await Assert.ThrowsAsync<InstallException>(() => probe.WaitUntilAsync("x.service", "x to answer", _ =>
        {
            attempts.Add(clock.Elapsed);
            clock.Advance(TimeSpan.FromSeconds(2));
            return Task.FromResult<string?>("not yet");
        }, TimeSpan.FromSeconds(3), CancellationToken.None));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(3)], attempts);
        Assert.Equal(TimeSpan.FromSeconds(5), clock.Elapsed);
    }
}

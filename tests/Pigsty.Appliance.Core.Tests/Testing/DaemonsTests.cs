using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.Testing;

/// <summary>The background programs of live tests: one that dies fails its test, with its output, even after the test had its answers.</summary>
public sealed class DaemonsTests
{
    [Fact]
    public async Task A_daemon_that_ends_on_its_own_fails_the_test_with_its_output()
    {
        var daemons = new Daemons();
        daemons.Start("sh", "-c", "echo 'bind: address already in use' >&2; exit 3");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        DaemonDiedException? died = null;
        while (died is null && DateTime.UtcNow < deadline)
        {
            died = Record.Exception(daemons.ThrowIfDied) as DaemonDiedException;
            await Task.Delay(50);
        }

        var error = Assert.Throws<AggregateException>(daemons.Dispose);

        Assert.NotNull(died);
        Assert.Equal("sh exited 3 before the test stopped it:\nbind: address already in use\n", died.Message);
        Assert.IsType<DaemonDiedException>(Assert.Single(error.InnerExceptions));
        Assert.Contains("bind: address already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Daemons_still_running_are_stopped_without_a_word()
    {
        var daemons = new Daemons();
        daemons.Start("sh", "-c", "exec sleep 60");
        daemons.Start("sh", "-c", "while :; do sleep 1; done");

        daemons.ThrowIfDied();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        daemons.Dispose();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed}");
    }
}

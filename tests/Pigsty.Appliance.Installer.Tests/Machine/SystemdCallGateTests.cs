using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Tests.Machine;

public sealed class SystemdCallGateTests
{
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Job_calls_run_side_by_side()
    {
        var gate = new SystemdCallGate();
        var both = new TaskCompletionSource();
        var started = 0;
        Task<int> Job() => gate.JobAsync(async () =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                both.TrySetResult();
            }

            await both.Task;
            return 0;
        }, CancellationToken.None);

        // Each waits for the other: they only end if both run at once.
        await Task.WhenAll(Job(), Job()).WaitAsync(Stuck);
    }

    [Fact]
    public async Task A_reload_waits_for_running_jobs_and_jobs_that_come_after_it_wait_for_the_reload()
    {
        var gate = new SystemdCallGate();
        var events = new List<string>();
        var release = new TaskCompletionSource();
        var jobRunning = new TaskCompletionSource();
        void Say(string what)
        {
            lock (events)
            {
                events.Add(what);
            }
        }

        var first = gate.JobAsync(async () =>
        {
            Say("start job-1");
            jobRunning.SetResult();
            await release.Task;
            Say("end job-1");
            return 0;
        }, CancellationToken.None);
        await jobRunning.Task.WaitAsync(Stuck);
        var reload = gate.ReloadAsync(() =>
        {
            Say("reload");
            return Task.FromResult(0);
        }, CancellationToken.None);
        await Task.Delay(50);
        var second = gate.JobAsync(() =>
        {
            Say("job-2");
            return Task.FromResult(0);
        }, CancellationToken.None);
        await Task.Delay(50);

        // Neither the reload nor the later job ran while job-1 runs.
        lock (events)
        {
            Assert.Equal(["start job-1"], events);
        }

        release.SetResult();
        await Task.WhenAll(first, reload, second).WaitAsync(Stuck);

        Assert.Equal(["start job-1", "end job-1", "reload", "job-2"], events);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_gate_usable()
    {
        var gate = new SystemdCallGate();
        var release = new TaskCompletionSource();
        var running = new TaskCompletionSource();
        var job = gate.JobAsync(async () =>
        {
            running.SetResult();
            await release.Task;
            return 0;
        }, CancellationToken.None);
        await running.Task.WaitAsync(Stuck);
        using var cancel = new CancellationTokenSource();
        var reload = gate.ReloadAsync(() => Task.FromResult(0), cancel.Token);
        await Task.Delay(50);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reload);
        release.SetResult();
        await job.WaitAsync(Stuck);

        Assert.Equal(7, await gate.ReloadAsync(() => Task.FromResult(7), CancellationToken.None).WaitAsync(Stuck));
        Assert.Equal(8, await gate.JobAsync(() => Task.FromResult(8), CancellationToken.None).WaitAsync(Stuck));
    }
}

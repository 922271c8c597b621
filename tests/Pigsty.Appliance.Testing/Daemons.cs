using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// Programs a test runs in the background (servers on loopback). Disposing stops them; one that ended on its own has failed,
/// and disposing then throws with its output, so a daemon that died after the test got its answers still fails the test.
/// </summary>
public sealed class Daemons : IDisposable
{
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    /// <summary>Starts <paramref name="program"/> (found with <see cref="RealTool"/>) in the background until the test ends.</summary>
    public void Start(string program, params string[] arguments)
    {
        var spec = RealTool.Spec(program, arguments) with { ThrowOnNonZeroExit = false, KillGrace = TimeSpan.FromSeconds(5) };
        lock (_running)
        {
            _running.Add(Task.Run(async () =>
            {
                var result = await ProcessRunner.Silent.RunAsync(spec, _stop.Token);
                throw new DaemonDiedException(program, result);
            }));
        }
    }

    /// <summary>Throws the first death, if a daemon has ended on its own.</summary>
    public void ThrowIfDied()
    {
        lock (_running)
        {
            if (_running.FirstOrDefault(d => d.IsFaulted && d.Exception!.InnerException is DaemonDiedException) is { } dead)
            {
                throw dead.Exception!.InnerException!;
            }
        }
    }

    /// <summary>Stops every daemon; throws when one had ended on its own (or would not stop), naming it with its output.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        var problems = new List<Exception>();
        lock (_running)
        {
            foreach (var daemon in _running)
            {
                try
                {
                    if (!daemon.Wait(StopPatience))
                    {
                        problems.Add(new TimeoutException($"a daemon did not stop within {StopPatience.TotalSeconds} s"));
                    }
                }
                catch (AggregateException e) when (e.InnerException is OperationCanceledException)
                {
                    // Stopped by us, as intended.
                }
                catch (AggregateException e)
                {
                    problems.Add(e.InnerException!);
                }
            }
        }

        _stop.Dispose();
        if (problems.Count > 0)
        {
            throw new AggregateException("a daemon of the test failed: " + string.Join("; ", problems.Select(p => p.Message)), problems);
        }
    }
}

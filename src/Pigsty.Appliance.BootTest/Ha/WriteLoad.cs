using System.Text.Json;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>A running write load: the commits acknowledged so far (as the helper prints them), and its end.</summary>
internal sealed class WriteLoad(CancellationToken cancellationToken)
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private readonly List<AcknowledgedCommit> _commits = [];
    private readonly List<FailedAttempt> _failures = [];
    private readonly List<string> _lines = [];
    private Task? _run;

    /// <summary>The acknowledged commits so far, in order.</summary>
    public IReadOnlyList<AcknowledgedCommit> Commits => Snapshot(_commits);

    /// <summary>The attempts that did not commit so far, in order.</summary>
    public IReadOnlyList<FailedAttempt> Failures => Snapshot(_failures);

    /// <summary>Every line the helper printed, for the run's artifacts.</summary>
    public IReadOnlyList<string> Lines => Snapshot(_lines);

    /// <summary>True once the helper has ended (its bounds reached, or stopped).</summary>
    public bool HasEnded => _run?.IsCompleted == true;

    /// <summary>Waits until <paramref name="enough"/> holds for the commits so far, the load ends, or <paramref name="timeout"/> passes; true when it held.</summary>
    public async Task<bool> WaitAsync(Func<IReadOnlyList<AcknowledgedCommit>, bool> enough, TimeSpan timeout, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(enough);
        var deadline = DateTime.UtcNow + timeout;
        while (!enough(Commits))
        {
            if (HasEnded || DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), token);
        }

        return true;
    }

    /// <summary>Stops the helper (SIGTERM: it ends after the commit in flight) and waits for it.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (Exception e) when (e is OperationCanceledException or Core.Errors.ApplianceException)
            {
                // Stopped on purpose, or it failed: the lines it printed are the log either way.
            }
        }

        _stop.Dispose();
    }

    internal void Start(Func<CancellationToken, Task<ProcessResult>> run) => _run = run(_stop.Token);

    private T[] Snapshot<T>(List<T> list)
    {
        lock (_commits)
        {
            return [.. list];
        }
    }

    internal void OnLine(string line)
    {
        lock (_commits)
        {
            _lines.Add(line);
        }

        try
        {
            if (line.StartsWith("{\"id\":", StringComparison.Ordinal) && JsonSerializer.Deserialize<AcknowledgedCommit>(line) is { } commit)
            {
                lock (_commits)
                {
                    _commits.Add(commit);
                }
            }
            else if (line.StartsWith("{\"failed\":", StringComparison.Ordinal) && JsonSerializer.Deserialize<FailedAttempt>(line) is { } failure)
            {
                lock (_commits)
                {
                    _failures.Add(failure);
                }
            }
        }
        catch (JsonException)
        {
            // A line cut by the stop: its commit is not counted as acknowledged.
        }
    }
}

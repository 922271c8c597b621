using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>
/// Runs a plan: check → apply → verify per step, journaling each. A step starts once every step it waits for has settled, and
/// ready steps run side by side, at most <paramref name="concurrency"/> at a time: first the steps on the way to a step that
/// <see cref="Step.Serves"/> (the way to a working database), then those with the longest chain of steps waiting behind them, then
/// plan order. Until every serving step has settled, a step off that way starts only when nothing else runs: under a slow CPU it would
/// take the time the way to the database needs (a backup, an exporter, the portal; on a node that is also a site's infra node, the
/// whole INFRA module beside Patroni's bootstrap). A step that needs the output of a <see cref="StepGate"/> also waits for its work.
/// After a failure (a step's or a gate's) no new step starts, the running ones are stopped, and the next run (every check again)
/// resumes where this one stopped.
/// </summary>
public sealed class InstallEngine(StepJournal journal, IInstallObserver observer, TimeProvider time, int concurrency = InstallEngine.DefaultConcurrency)
{
    /// <summary>Steps that may run at once: enough to overlap the waits of a node's services, few enough for a small machine.</summary>
    public const int DefaultConcurrency = 4;

    /// <summary>
    /// Applies every step of every module that is not skipped; throws <see cref="InstallException"/> naming the failed step, or the
    /// error of a failed <paramref name="gates"/> work that a step needed.
    /// </summary>
    public async Task<InstallResult> ApplyAsync(InstallPlan plan, StepContext context, CancellationToken cancellationToken, IReadOnlyList<StepGate>? gates = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var skipped = new List<(string, string)>();
        foreach (var module in plan.Modules.Where(m => m.Skipped))
        {
            skipped.Add((module.Module, module.SkipReason!));
            await observer.ModuleSkippedAsync(module.Module, module.SkipReason!, cancellationToken);
            context.Logger.LogWarning("{Module} skipped: {Reason}", module.Module, module.SkipReason);
        }

        var nodes = plan.Graph.Nodes;

        // Only the gates some step needs are waited for; the caller owns the others.
        var open = (gates ?? []).Where(g => nodes.Any(n => n.Step.Needs.Contains(g.Output))).ToDictionary(g => g.Settled);
        var waiting = nodes.Select(n => n.Before.Count + open.Values.Count(g => n.Step.Needs.Contains(g.Output))).ToArray();
        var waitedFor = new string?[nodes.Count];
        var records = new StepRecord?[nodes.Count];
        var chain = ChainLengths(nodes);
        var serving = WayToServing(nodes);
        var servingLeft = serving.Count(s => s);
        var ready = new SortedSet<int>(nodes.Where(n => waiting[n.Index] == 0).Select(n => n.Index),
            Comparer<int>.Create((a, b) => serving[a] != serving[b] ? serving[b].CompareTo(serving[a])
                : chain[a] != chain[b] ? chain[b].CompareTo(chain[a]) : a.CompareTo(b)));
        var running = new Dictionary<Task<StepRun>, int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        StepRun? failed = null;
        Task? failedGate = null;

        // What the steps stopped by a failure are told (their records, the status): a step's failure or a gate's.
        var stopped = "another step failed";
        while (true)
        {
            while (failed is null && failedGate is null && !stop.IsCancellationRequested && running.Count < Math.Max(1, concurrency) && ready.Count > 0)
            {
                var next = ready.Min;
                if (!serving[next] && servingLeft > 0 && running.Count > 0)
                {
                    break;
                }

                ready.Remove(next);
                running.Add(RunStepAsync(nodes[next], waitedFor[next], context, () => stopped, stop.Token), next);
            }

            if (running.Count == 0 && (open.Count == 0 || failed is not null || failedGate is not null))
            {
                break;
            }

            var first = await Task.WhenAny(running.Keys.Cast<Task>().Concat(open.Keys));
            if (open.Remove(first, out var gate))
            {
                if (!first.IsCompletedSuccessfully)
                {
                    failedGate ??= first;
                    stopped = failed is null ? $"{gate.Name} failed" : stopped;
                    await stop.CancelAsync();
                    continue;
                }

                foreach (var after in nodes.Where(n => n.Step.Needs.Contains(gate.Output)))
                {
                    waitedFor[after.Index] = gate.Name;
                    if (--waiting[after.Index] == 0)
                    {
                        ready.Add(after.Index);
                    }
                }

                continue;
            }

            var settled = (Task<StepRun>)first;
            var index = running[settled];
            running.Remove(settled);
            var run = await settled;
            records[index] = run.Record;
            servingLeft -= serving[index] ? 1 : 0;
            if (run.Record.Outcome == StepOutcome.Failed && failed is null)
            {
                failed = run;

                // The others are stopped like a power cut would stop them: the next run checks them again.
                await stop.CancelAsync();
            }

            if (run.Record.Outcome is StepOutcome.Applied or StepOutcome.AlreadyDone)
            {
                foreach (var after in nodes.Where(n => n.Before.Contains(index)))
                {
                    waitedFor[after.Index] = nodes[index].Step.Id;
                    if (--waiting[after.Index] == 0)
                    {
                        ready.Add(after.Index);
                    }
                }
            }
        }

        if (failed is not null)
        {
            throw new InstallException(failed.Record.Id, failed.Record.Error ?? "failed");
        }

        if (failedGate is not null)
        {
            // Its own exception (an integrity error keeps its exit code), as awaiting the work would throw it.
            await failedGate;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new InstallResult(records.OfType<StepRecord>().ToList(), skipped);
    }

    /// <summary>For every step, whether it serves or a serving step waits for it (directly or through others).</summary>
    private static bool[] WayToServing(IReadOnlyList<StepNode> nodes)
    {
        var way = nodes.Select(n => n.Step.Serves).ToArray();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var node in nodes.Where(n => way[n.Index]))
            {
                foreach (var before in node.Before.Where(b => !way[b]))
                {
                    way[before] = true;
                    changed = true;
                }
            }
        }

        return way;
    }

    /// <summary>For every step, how many steps wait behind it one after the other at most (0 for a step nothing waits for).</summary>
    private static int[] ChainLengths(IReadOnlyList<StepNode> nodes)
    {
        var length = new int[nodes.Count];

        // A step's dependencies may come later in plan order (a module waiting for a later module's output): settle by
        // relaxing until nothing changes; the graph has no cycles, so this ends within as many rounds as the longest chain.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var node in nodes)
            {
                foreach (var before in node.Before)
                {
                    if (length[before] < length[node.Index] + 1)
                    {
                        length[before] = length[node.Index] + 1;
                        changed = true;
                    }
                }
            }
        }

        return length;
    }

    /// <summary>One step, start to settle; never throws but for cancellation from outside the run.</summary>
    private async Task<StepRun> RunStepAsync(StepNode node, string? waitedFor, StepContext shared, Func<string> stopped, CancellationToken cancellationToken)
    {
        // Yield first: the scheduler starts every ready step before any of them runs its (possibly synchronous) check.
        await Task.Yield();
        var (module, step) = (node.Module, node.Step);
        var trace = new StepTrace((note, token) => observer.StepNoteAsync(module, step, note, token));
        var context = shared with { Machine = new TracedMachine(shared.Machine, trace, time), Trace = trace };
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        StepRecord Record(StepOutcome outcome, string? error) =>
            new(step.Id, module, outcome, time.GetUtcNow(), Math.Round(time.GetElapsedTime(clock).TotalSeconds, 3), error)
            {
                Started = started,
                WaitedFor = waitedFor,
                Waits = trace.Waits,
                Notes = trace.Notes,
            };

        StepOutcome outcome;
        try
        {
            await observer.StepStartedAsync(module, step, cancellationToken);
            if (await step.IsDone(context, cancellationToken))
            {
                outcome = StepOutcome.AlreadyDone;
            }
            else
            {
                context.Logger.LogInformation("{Step}: {Title}", step.Id, step.Title);
                await step.Apply(context, cancellationToken);
                await step.Verify(context, cancellationToken);
                outcome = StepOutcome.Applied;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped because another step or a gate failed (or the run is being shut down): not a result, so nothing is journaled.
            var interrupted = Record(StepOutcome.Interrupted, $"stopped: {stopped()}");
            await observer.StepFinishedAsync(module, step, interrupted, CancellationToken.None);
            return new StepRun(interrupted);
        }
        catch (Exception e)
        {
            // The reason carries tool output and journal lines; it reaches status.json (served without auth), the seed volume and
            // the log, so every known secret is masked first, and the unmasked exception goes no further.
            var credentials = context.Node.Credentials;
            var reason = await credentials.MaskAsync(e is InstallException install ? install.Reason : e.Message, CancellationToken.None);
            var failed = Record(StepOutcome.Failed, reason);
            await journal.RecordAsync(failed, CancellationToken.None);
            await observer.StepFinishedAsync(module, step, failed, CancellationToken.None);
            context.Logger.LogError("{Step} failed after {Seconds:0.0} s: {Exception}", step.Id, failed.Seconds,
                await credentials.MaskAsync(e.ToString(), CancellationToken.None));
            return new StepRun(failed);
        }

        var record = Record(outcome, null);
        await journal.RecordAsync(record, CancellationToken.None);
        await observer.StepFinishedAsync(module, step, record, CancellationToken.None);
        return new StepRun(record);
    }

    private sealed record StepRun(StepRecord Record);
}

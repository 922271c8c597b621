using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>Runs a plan: check → apply → verify per step, journaling each; a failed run resumes at its failed step.</summary>
public sealed class InstallEngine(StepJournal journal, IInstallObserver observer, TimeProvider time)
{
    /// <summary>Applies every step of every module that is not skipped; throws <see cref="InstallException"/> naming the failed step.</summary>
    public async Task<InstallResult> ApplyAsync(InstallPlan plan, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var records = new List<StepRecord>();
        var skipped = new List<(string, string)>();
        foreach (var module in plan.Modules)
        {
            if (module.SkipReason is { } reason)
            {
                skipped.Add((module.Module, reason));
                await observer.ModuleSkippedAsync(module.Module, reason, cancellationToken);
                context.Logger.LogWarning("{Module} skipped: {Reason}", module.Module, reason);
                continue;
            }

            foreach (var step in module.Steps)
            {
                records.Add(await RunStepAsync(module.Module, step, context, cancellationToken));
            }
        }

        return new InstallResult(records, skipped);
    }

    private async Task<StepRecord> RunStepAsync(string module, Step step, StepContext context, CancellationToken cancellationToken)
    {
        await observer.StepStartedAsync(module, step, cancellationToken);
        var clock = Stopwatch.StartNew();
        StepOutcome outcome;
        try
        {
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
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The reason carries tool output and journal lines; it reaches status.json (served without auth), the seed volume and
            // the log, so every known secret is masked first, and the unmasked exception goes no further.
            var credentials = context.Node.Credentials;
            var reason = await credentials.MaskAsync(e is InstallException install ? install.Reason : e.Message, CancellationToken.None);
            var failed = new StepRecord(step.Id, module, StepOutcome.Failed, time.GetUtcNow(), clock.Elapsed.TotalSeconds, reason);
            await journal.RecordAsync(failed, CancellationToken.None);
            await observer.StepFinishedAsync(module, step, StepOutcome.Failed, clock.Elapsed, reason, CancellationToken.None);
            context.Logger.LogError("{Step} failed after {Seconds:0.0} s: {Exception}", step.Id, clock.Elapsed.TotalSeconds,
                await credentials.MaskAsync(e.ToString(), CancellationToken.None));
            throw new InstallException(step.Id, reason);
        }

        var record = new StepRecord(step.Id, module, outcome, time.GetUtcNow(), clock.Elapsed.TotalSeconds, null);
        await journal.RecordAsync(record, cancellationToken);
        await observer.StepFinishedAsync(module, step, outcome, clock.Elapsed, null, cancellationToken);
        return record;
    }
}

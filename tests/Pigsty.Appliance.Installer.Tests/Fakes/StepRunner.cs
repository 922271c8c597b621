using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>
/// Runs steps through the real <see cref="InstallEngine"/> (check, apply, verify, journal) as one module, so that step and module
/// tests exercise the engine's own loop rather than a copy of it. A failure surfaces as the engine reports it: an InstallException
/// naming the step with its masked reason; the step's own exception is put inside it here, for tests only (the engine never
/// passes an unmasked exception on).
/// </summary>
internal static class StepRunner
{
    /// <summary>
    /// Runs every step one after the other, in the order given (the steps a test leaves out are not waited for); returns the ids of
    /// the steps whose check said there was work. The steps' notes land in <paramref name="context"/>'s trace.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<Step> steps, StepContext context)
    {
        Exception? raw = null;
        var list = new List<Step>();
        foreach (var step in steps)
        {
            var previous = list.Count == 0 ? [] : new[] { list[^1].Id };
            list.Add(Capturing(step, e => raw ??= e) with { RunsAfter = previous, Needs = [], Gives = [] });
        }

        var module = list.Count == 0 ? "TEST" : list[0].Id.Split('.')[0].ToUpperInvariant();
        var plan = new InstallPlan(context.Node, [ModulePlan.Run(module, list)]);
        var engine = new InstallEngine(new StepJournal(context.Machine.Files), new RecordingObserver(), TimeProvider.System, concurrency: 1);
        InstallResult result;
        try
        {
            result = await engine.ApplyAsync(plan, context, CancellationToken.None);
        }
        catch (InstallException e) when (raw is not null)
        {
            throw new InstallException(e.Step, e.Reason, raw);
        }

        foreach (var note in result.Steps.SelectMany(s => s.Notes))
        {
            await context.Trace.NoteAsync(note, CancellationToken.None);
        }

        return result.Steps.Where(s => s.Outcome == StepOutcome.Applied).Select(s => s.Id).ToList();
    }

    /// <summary>Runs one step; true when it applied (its check said there was work).</summary>
    public static async Task<bool> RunAsync(Step step, StepContext context) => (await RunAsync([step], context)).Count == 1;

    private static Step Capturing(Step step, Action<Exception> seen) => step with
    {
        IsDone = async (c, t) => await Seen(() => step.IsDone(c, t), seen),
        Apply = (c, t) => Seen(async () => { await step.Apply(c, t); return true; }, seen),
        Verify = (c, t) => Seen(async () => { await step.Verify(c, t); return true; }, seen),
    };

    private static async Task<bool> Seen(Func<Task<bool>> run, Action<Exception> seen)
    {
        try
        {
            return await run();
        }
        catch (Exception e)
        {
            seen(e);
            throw;
        }
    }
}

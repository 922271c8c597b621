using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>
/// Runs steps through the real <see cref="InstallEngine"/> (check, apply, verify, journal) as one module, so that step and module
/// tests exercise the engine's own loop rather than a copy of it. A failure surfaces as the engine reports it: an InstallException
/// naming the step, with the step's own exception inside.
/// </summary>
internal static class StepRunner
{
    /// <summary>Runs every step in order; returns the ids of the steps whose check said there was work.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<Step> steps, StepContext context)
    {
        var list = steps.ToList();
        var module = list.Count == 0 ? "TEST" : list[0].Id.Split('.')[0].ToUpperInvariant();
        var plan = new InstallPlan(context.Node, [ModulePlan.Run(module, list)]);
        var engine = new InstallEngine(new StepJournal(context.Machine.Files), new RecordingObserver(), TimeProvider.System);
        var result = await engine.ApplyAsync(plan, context, CancellationToken.None);
        return result.Steps.Where(s => s.Outcome == StepOutcome.Applied).Select(s => s.Id).ToList();
    }

    /// <summary>Runs one step; true when it applied (its check said there was work).</summary>
    public static async Task<bool> RunAsync(Step step, StepContext context) => (await RunAsync([step], context)).Count == 1;
}

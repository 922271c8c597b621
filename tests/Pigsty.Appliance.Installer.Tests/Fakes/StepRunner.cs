using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Runs steps the way the engine does (check, apply, verify), without a journal.</summary>
internal static class StepRunner
{
    /// <summary>Runs every step in order; returns the ids of the steps whose check said there was work.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<Step> steps, StepContext context)
    {
        var applied = new List<string>();
        foreach (var step in steps)
        {
            if (!await step.IsDone(context, CancellationToken.None))
            {
                await step.Apply(context, CancellationToken.None);
                await step.Verify(context, CancellationToken.None);
                applied.Add(step.Id);
            }
        }

        return applied;
    }
}

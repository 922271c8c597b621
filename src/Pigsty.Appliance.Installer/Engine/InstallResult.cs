namespace Pigsty.Appliance.Installer.Engine;

/// <summary>What one run did: every settled step, and whether the node changed at all.</summary>
public sealed record InstallResult(IReadOnlyList<StepRecord> Steps, IReadOnlyList<(string Module, string Reason)> Skipped)
{
    /// <summary>True when no step changed anything (a re-run on a finished node).</summary>
    public bool NothingChanged => Steps.All(s => s.Outcome == StepOutcome.AlreadyDone);

    /// <summary>Seconds from each module's first step starting to its last settling, in order; modules run side by side, so these overlap.</summary>
    public IReadOnlyList<(string Module, double Seconds)> ModuleSeconds =>
        Steps.GroupBy(s => s.Module)
            .Select(g => (g.Key, Math.Round((g.Max(s => s.Finished) - g.Min(s => s.Started ?? s.Finished)).TotalSeconds, 3)))
            .ToList();
}

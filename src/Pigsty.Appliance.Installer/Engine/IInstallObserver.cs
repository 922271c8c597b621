namespace Pigsty.Appliance.Installer.Engine;

/// <summary>Hears about progress: the console, status.json and sd_notify all listen here.</summary>
public interface IInstallObserver
{
    Task ModuleSkippedAsync(string module, string reason, CancellationToken cancellationToken);

    Task StepStartedAsync(string module, Step step, CancellationToken cancellationToken);

    Task StepFinishedAsync(string module, Step step, StepOutcome outcome, TimeSpan elapsed, string? error, CancellationToken cancellationToken);
}

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>Hears about progress: the console, status.json and sd_notify all listen here.</summary>
public interface IInstallObserver
{
    void ModuleSkipped(string module, string reason);

    void StepStarted(string module, Step step);

    void StepFinished(string module, Step step, StepOutcome outcome, TimeSpan elapsed, string? error);
}

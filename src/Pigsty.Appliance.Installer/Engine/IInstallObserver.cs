namespace Pigsty.Appliance.Installer.Engine;

/// <summary>Hears about progress: the console, status.json and sd_notify all listen here. Steps run side by side, so calls may overlap.</summary>
public interface IInstallObserver
{
    Task ModuleSkippedAsync(string module, string reason, CancellationToken cancellationToken);

    Task StepStartedAsync(string module, Step step, CancellationToken cancellationToken);

    /// <summary>A running step said something for people (see <see cref="StepTrace.NoteAsync"/>).</summary>
    Task StepNoteAsync(string module, Step step, string note, CancellationToken cancellationToken);

    /// <summary>A step settled (or was interrupted): its record holds the outcome, times, waits and notes.</summary>
    Task StepFinishedAsync(string module, Step step, StepRecord record, CancellationToken cancellationToken);
}

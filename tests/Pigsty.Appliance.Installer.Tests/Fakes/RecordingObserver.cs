using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Remembers what the engine reported, as lines.</summary>
internal sealed class RecordingObserver : IInstallObserver
{
    public List<string> Lines { get; } = [];

    public void ModuleSkipped(string module, string reason) => Lines.Add($"skip {module}: {reason}");

    public void StepStarted(string module, Step step) => Lines.Add($"start {step.Id}");

    public void StepFinished(string module, Step step, StepOutcome outcome, TimeSpan elapsed, string? error) =>
        Lines.Add($"{outcome} {step.Id}" + (error is null ? "" : $": {error}"));
}

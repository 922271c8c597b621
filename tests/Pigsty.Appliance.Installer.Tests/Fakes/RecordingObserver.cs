using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Remembers what the engine reported, as lines.</summary>
internal sealed class RecordingObserver : IInstallObserver
{
    public List<string> Lines { get; } = [];

    public Task ModuleSkippedAsync(string module, string reason, CancellationToken cancellationToken) => Add($"skip {module}: {reason}");

    public Task StepStartedAsync(string module, Step step, CancellationToken cancellationToken) => Add($"start {step.Id}");

    public Task StepFinishedAsync(string module, Step step, StepOutcome outcome, TimeSpan elapsed, string? error, CancellationToken cancellationToken) =>
        Add($"{outcome} {step.Id}" + (error is null ? "" : $": {error}"));

    private Task Add(string line)
    {
        Lines.Add(line);
        return Task.CompletedTask;
    }
}

using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Remembers what the engine reported, as lines.</summary>
internal sealed class RecordingObserver : IInstallObserver
{
    public List<string> Lines { get; } = [];

    public Task ModuleSkippedAsync(string module, string reason, CancellationToken cancellationToken) => Add($"skip {module}: {reason}");

    public Task StepStartedAsync(string module, Step step, CancellationToken cancellationToken) => Add($"start {step.Id}");

    public Task StepNoteAsync(string module, Step step, string note, CancellationToken cancellationToken) => Add($"note {step.Id}: {note}");

    public Task StepFinishedAsync(string module, Step step, StepRecord record, CancellationToken cancellationToken) =>
        Add($"{record.Outcome} {step.Id}" + (record.Error is null ? "" : $": {record.Error}"));

    private Task Add(string line)
    {
        lock (Lines)
        {
            Lines.Add(line);
        }

        return Task.CompletedTask;
    }
}

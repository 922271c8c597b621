using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Records every command instead of running it; <see cref="Handler"/> answers the ones a test cares about.</summary>
internal sealed class FakeProcesses : IProcessRunner
{
    public List<string> Calls { get; } = [];

    /// <summary>Answers a command; null (or no handler) means exit 0 with no output.</summary>
    public Func<ProcessSpec, ProcessResult?>? Handler { get; set; }

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Calls.Add(spec.Display());
        return Task.FromResult(Handler?.Invoke(spec) ?? new ProcessResult(0, "", "", TimeSpan.Zero));
    }
}

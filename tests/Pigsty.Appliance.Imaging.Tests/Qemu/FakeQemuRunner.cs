using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

/// <summary>Stands in for QEMU: prints the given console lines, then runs until cancelled, or fails, as told.</summary>
internal sealed class FakeQemuRunner(IReadOnlyList<string> lines, ToolException? failWith = null, TimeSpan? lineDelay = null) : IProcessRunner
{
    public ProcessSpec? Spec { get; private set; }

    public bool WasCancelled { get; private set; }

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        Spec = spec;
        foreach (var line in lines)
        {
            if (lineDelay is { } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }

            spec.OnOutputLine?.Invoke(line);
        }

        if (failWith is not null)
        {
            throw failWith;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            WasCancelled = true;
            throw;
        }

        return new ProcessResult(0, "", "", TimeSpan.Zero);
    }
}

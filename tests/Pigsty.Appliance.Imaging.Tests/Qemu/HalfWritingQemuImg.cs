using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

/// <summary>Stands in for qemu-img convert: writes part of its output file, then, when the test cancels, fails or is cancelled.</summary>
internal sealed class HalfWritingQemuImg(bool fail) : IProcessRunner
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the partial output exists.</summary>
    public Task Started => _started.Task;

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(spec.Arguments[^1], "partial", CancellationToken.None);
        _started.SetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (fail)
        {
            // The test's cancellation stands for the moment the tool dies on its own.
            throw new ToolException("qemu-img", 1, "No space left on device", "qemu-img exited with code 1");
        }

        return new ProcessResult(0, "", "", TimeSpan.Zero);
    }
}

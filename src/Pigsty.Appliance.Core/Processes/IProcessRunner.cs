namespace Pigsty.Appliance.Core.Processes;

/// <summary>The one way this code base runs an external program.</summary>
public interface IProcessRunner
{
    /// <summary>Runs the process to its end; throws on non-zero exit (unless the spec says not to), timeout or cancellation.</summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}

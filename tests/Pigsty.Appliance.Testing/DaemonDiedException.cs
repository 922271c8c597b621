using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Testing;

/// <summary>A daemon a test started ended before the test stopped it: it failed to start or crashed.</summary>
public sealed class DaemonDiedException(string program, ProcessResult result)
    : Exception($"{program} exited {result.ExitCode} before the test stopped it:\n{result.StandardError}{result.StandardOutput}")
{
    /// <summary>How it ended.</summary>
    public ProcessResult Result { get; } = result;
}

namespace Pigsty.Appliance.Core.Errors;

/// <summary>An external tool exited non-zero or ran past its timeout.</summary>
public sealed class ToolException(string tool, int? exitCode, string stderrTail, string message)
    : ApplianceException(message)
{
    /// <summary>The tool's file name, e.g. <c>sgdisk</c>.</summary>
    public string Tool { get; } = tool;

    /// <summary>The exit code, or null when the tool was stopped on a timeout.</summary>
    public int? ToolExitCode { get; } = exitCode;

    /// <summary>True when the tool ran past its timeout and was stopped (then <see cref="ToolExitCode"/> is null).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The last lines the tool wrote to stderr, with secrets masked.</summary>
    public string StderrTail { get; } = stderrTail;

    public override ExitCode ExitCode => ExitCode.ToolFailed;
}

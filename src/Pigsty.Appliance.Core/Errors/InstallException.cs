namespace Pigsty.Appliance.Core.Errors;

/// <summary>An install step failed on this node; names the step.</summary>
public sealed class InstallException(string step, string reason, Exception? innerException = null)
    : ApplianceException($"step '{step}' failed: {reason}", innerException)
{
    public string Step { get; } = step;

    public string Reason { get; } = reason;

    public override ExitCode ExitCode => ExitCode.InstallFailed;
}

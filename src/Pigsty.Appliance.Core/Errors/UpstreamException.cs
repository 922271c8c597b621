namespace Pigsty.Appliance.Core.Errors;

/// <summary>An upstream source failed, or no longer offers what is asked of it.</summary>
public sealed class UpstreamException(string message, Exception? innerException = null)
    : ApplianceException(message, innerException)
{
    public override ExitCode ExitCode => ExitCode.UpstreamFailed;
}

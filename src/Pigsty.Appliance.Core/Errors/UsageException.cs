namespace Pigsty.Appliance.Core.Errors;

/// <summary>The command line is wrong in a way the parser cannot see (e.g. two options that exclude each other).</summary>
public sealed class UsageException(string message) : ApplianceException(message)
{
    public override ExitCode ExitCode => ExitCode.Usage;
}

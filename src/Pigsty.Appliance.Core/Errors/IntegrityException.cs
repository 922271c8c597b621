namespace Pigsty.Appliance.Core.Errors;

/// <summary>Data does not match what it claims: a checksum, signature, size or completeness marker.</summary>
public sealed class IntegrityException(string message) : ApplianceException(message)
{
    public override ExitCode ExitCode => ExitCode.IntegrityFailed;
}

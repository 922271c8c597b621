namespace Pigsty.Appliance.Core.Errors;

/// <summary>A host deploy was to install cannot be used (unreachable, host key, OS release, disk); nothing was changed on it.</summary>
public sealed class HostRefusedException(string host, string reason, Exception? innerException = null)
    : ApplianceException($"{host}: {reason}", innerException)
{
    /// <summary>The host as the inventory names it.</summary>
    public string Host { get; } = host;

    /// <summary>Why it was refused, without the host's name.</summary>
    public string Reason { get; } = reason;

    public override ExitCode ExitCode => ExitCode.HostRefused;
}

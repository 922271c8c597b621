namespace Pigsty.Appliance.Cli.Push;

/// <summary>One host's line of the deploy summary, and where its status.json was saved (when the installer ran).</summary>
public sealed record HostOutcome(string Name, string Role, HostState State, string Message, string? StatusFile = null)
{
    /// <summary>True when the host is installed now (the hosts waiting for it may start).</summary>
    public bool Succeeded => State is HostState.Installed or HostState.Unchanged;
}

namespace Pigsty.Appliance.Cli.Push;

/// <summary>What the known_hosts file says about the key a host presented.</summary>
public enum HostKeyVerdict
{
    /// <summary>The file pins this very key for the host.</summary>
    Known,

    /// <summary>The file names no key for the host.</summary>
    Unknown,

    /// <summary>The file pins another key for the host (or revokes this one): never accepted.</summary>
    Mismatch,
}

namespace Pigsty.Appliance.Cli.Push;

/// <summary>How one host's deploy ended.</summary>
public enum HostState
{
    /// <summary>The installer ran and changed what was missing.</summary>
    Installed,

    /// <summary>The installer ran and found every step done: a re-run.</summary>
    Unchanged,

    /// <summary>The installer (or the upload before it) failed on the host.</summary>
    Failed,

    /// <summary>Deploy could not use the host (unreachable, host key, OS release, disk): nothing was done on it.</summary>
    Refused,

    /// <summary>Not started: a host it waits for did not finish.</summary>
    Skipped,
}

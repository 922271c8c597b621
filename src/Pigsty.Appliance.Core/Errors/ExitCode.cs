namespace Pigsty.Appliance.Core.Errors;

/// <summary>Process exit codes of every pigsty-appliance command; documented in README and --help.</summary>
public enum ExitCode
{
    /// <summary>The command did what it was asked.</summary>
    Success = 0,

    /// <summary>A bug: an exception this tool did not expect.</summary>
    InternalError = 1,

    /// <summary>The command line itself is wrong.</summary>
    Usage = 2,

    /// <summary>A file the user wrote (inventory, recipe, image definition, seed) is invalid.</summary>
    InvalidInput = 3,

    /// <summary>An external tool exited non-zero or timed out.</summary>
    ToolFailed = 4,

    /// <summary>A checksum, signature or marker does not match: tampered, truncated or incomplete data.</summary>
    IntegrityFailed = 5,

    /// <summary>An upstream (mirror, release source) failed or no longer has what is asked for.</summary>
    UpstreamFailed = 6,

    /// <summary>A host tool this command needs is not installed.</summary>
    MissingTool = 7,

    /// <summary>An install step on a node failed.</summary>
    InstallFailed = 8,

    /// <summary>A host deploy was to install cannot be used: unreachable, host key not pinned or changed, wrong OS release, too little disk.</summary>
    HostRefused = 9,

    /// <summary>The user interrupted the command (SIGINT/SIGTERM).</summary>
    Cancelled = 130,
}

using Pigsty.Appliance.Bundler.Locking;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>How binary components are built: target architecture, the cache, and how the lock's pins take part.</summary>
public sealed record BinaryBuildOptions
{
    /// <summary>Debian architecture of the packages.</summary>
    public required string Architecture { get; init; }

    /// <summary>The content-addressed cache (assets and built packages).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The lock file as it is now, or null when there is none.</summary>
    public LockFile? Lock { get; init; }

    /// <summary>The lock file's path, for messages.</summary>
    public required string LockPath { get; init; }

    /// <summary>--locked: every component needs a pin for its version, and the asset must match it.</summary>
    public bool RequirePins { get; init; }

    /// <summary>--update: an asset that differs from its pin is accepted and re-pinned.</summary>
    public bool AcceptChanges { get; init; }
}

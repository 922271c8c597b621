namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>What a <see cref="FetchProgress"/> report is about.</summary>
public enum FetchStage
{
    /// <summary>Bytes of a package arrived (negative when a retry starts over).</summary>
    Downloading,

    /// <summary>A package was downloaded, verified, and placed in the repo.</summary>
    Downloaded,

    /// <summary>A package was found in the cache, verified, and placed in the repo.</summary>
    CacheHit,
}

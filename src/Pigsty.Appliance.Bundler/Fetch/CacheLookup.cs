namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>What the cache holds for one package.</summary>
internal enum CacheLookup
{
    /// <summary>Nothing.</summary>
    Miss,

    /// <summary>An entry whose size and SHA-256 match.</summary>
    Hit,

    /// <summary>An entry that does not match (corrupted or tampered); it has been removed.</summary>
    Corrupt,
}

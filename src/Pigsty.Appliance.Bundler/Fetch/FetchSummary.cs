using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>What a fetch did: counts, bytes, time, and every placed file with its verified hash (for the sealer to reuse).</summary>
/// <param name="Packages">Distinct packages placed in the repo.</param>
/// <param name="Downloaded">Packages downloaded (cache misses and repaired entries).</param>
/// <param name="CacheHits">Packages taken from the cache after re-verifying their SHA-256.</param>
/// <param name="CacheRepairs">Cache entries that failed verification and were downloaded again.</param>
/// <param name="BytesDownloaded">Bytes downloaded.</param>
/// <param name="BytesTotal">Sum of all package sizes.</param>
/// <param name="Copied">Packages copied rather than hard-linked (cache on another filesystem).</param>
/// <param name="CacheVerifyTime">Time spent hashing cache hits, summed over parallel workers.</param>
/// <param name="Elapsed">Wall-clock time of the whole fetch.</param>
/// <param name="Files">The placed .deb files with size and SHA-256, sorted by name.</param>
public sealed record FetchSummary(
    int Packages,
    int Downloaded,
    int CacheHits,
    int CacheRepairs,
    long BytesDownloaded,
    long BytesTotal,
    int Copied,
    TimeSpan CacheVerifyTime,
    TimeSpan Elapsed,
    IReadOnlyList<RepoFile> Files);

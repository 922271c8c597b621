namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>Counters the parallel fetch workers share; fields so that they can be updated with <see cref="Interlocked"/>.</summary>
internal sealed class FetchTotals(int packagesTotal, long bytesTotal)
{
    public int Downloaded;
    public int CacheHits;
    public int CacheRepairs;
    public int Copied;
    public int PackagesDone;
    public long BytesDone;
    public long BytesDownloaded;
    public long VerifyTicks;

    public int PackagesTotal { get; } = packagesTotal;

    public long BytesTotal { get; } = bytesTotal;
}

using Pigsty.Appliance.Bundler.Apt;

namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>One progress report: the package it concerns, and running totals for an overall bar.</summary>
/// <param name="Package">The package this report is about.</param>
/// <param name="Stage">Bytes arriving, or the package being done (downloaded or from cache).</param>
/// <param name="PackageBytes">Bytes of this package received so far (its size once done).</param>
/// <param name="BytesDone">Bytes of all packages done or received so far (cache hits count their size).</param>
/// <param name="BytesTotal">Sum of all package sizes.</param>
/// <param name="PackagesDone">Packages placed in the repo so far.</param>
/// <param name="PackagesTotal">Packages in the list.</param>
public sealed record FetchProgress(
    PackageRecord Package,
    FetchStage Stage,
    long PackageBytes,
    long BytesDone,
    long BytesTotal,
    int PackagesDone,
    int PackagesTotal);

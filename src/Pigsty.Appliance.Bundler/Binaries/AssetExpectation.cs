namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>What an asset must hash to, and who says so (the recipe's <c>sha256</c> or the lock file), for errors.</summary>
public sealed record AssetExpectation(string Sha256, string PinnedBy, string? Name);

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>One package asked for by name (real or virtual); Recommends are followed through its whole subtree only when asked.</summary>
public sealed record PackageRequest(string Name, bool WithRecommends = false);

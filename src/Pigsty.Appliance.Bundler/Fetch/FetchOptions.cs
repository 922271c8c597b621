namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>How the fetch runs: how many downloads at once, and where the package cache lives.</summary>
public sealed record FetchOptions
{
    /// <summary>Downloads (and cache checks) in flight at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>The content-addressed cache directory; defaults to <c>$XDG_CACHE_HOME/pigsty-appliance</c> or <c>~/.cache/pigsty-appliance</c>.</summary>
    public string CacheDirectory { get; init; } = PackageCache.DefaultRoot();

    /// <summary>When true (the default) .deb files in the repo directory that are not in the list are removed, so the directory holds exactly the list.</summary>
    public bool RemoveUnlisted { get; init; } = true;
}

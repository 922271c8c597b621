namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>How indexes are read: where verified index files are cached, and what time it is.</summary>
public sealed record AptIndexOptions
{
    /// <summary>Directory keeping index files by SHA-256 (downloaded, and uncompressed): a warm run fetches and decompresses nothing,
    /// and chosen packages' whole paragraphs are read back from it.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Clock for the Valid-Until check (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Accept a Release past its Valid-Until (apt's <c>Acquire::Check-Valid-Until=false</c>, for snapshot mirrors).</summary>
    public bool IgnoreValidUntil { get; init; }
}

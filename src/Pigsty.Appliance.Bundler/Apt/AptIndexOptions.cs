namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>How indexes are read: where verified index files are cached, and what time it is.</summary>
public sealed record AptIndexOptions
{
    /// <summary>Directory keeping downloaded index files by SHA-256, so a warm run does not fetch them again; null disables it.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Clock for the Valid-Until check (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Accept a Release past its Valid-Until (apt's <c>Acquire::Check-Valid-Until=false</c>, for snapshot mirrors).</summary>
    public bool IgnoreValidUntil { get; init; }
}

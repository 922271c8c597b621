namespace Pigsty.Appliance.Core.Net;

/// <summary>How hard the downloader tries, and with it every request run through its <see cref="RetryPolicy"/> (GitHub release lookups):
/// attempts for transient failures and the backoff between them.</summary>
public sealed record DownloadOptions
{
    /// <summary>Total attempts for a transient failure (connection reset, 5xx, 408, 429, timeout).</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>Delay before the second attempt; doubles after each further failure.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest one attempt may take end to end.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

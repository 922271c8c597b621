using System.Net;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Pigsty.Appliance.Core.Net;

/// <summary>The one retry policy for network requests: a transient failure (network error, 5xx, 408, 429, a timed-out attempt) is tried
/// again up to <see cref="DownloadOptions.Attempts"/> times with a doubling backoff; anything else, and the caller's own cancellation,
/// ends at once.</summary>
public sealed class RetryPolicy(DownloadOptions options, ILogger logger)
{
    /// <summary>The attempts and backoff this policy follows.</summary>
    public DownloadOptions Options => options;

    /// <summary>Runs <paramref name="attempt"/> (given its number, from 1) until it succeeds, fails for good or the attempts are spent;
    /// the last failure is thrown as <paramref name="failure"/> makes it from the exception and the number of attempts made.</summary>
    public async Task<T> RunAsync<T>(Uri uri, Func<int, Task<T>> attempt, Func<Exception, int, Exception> failure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(failure);
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && number < options.Attempts)
            {
                await BackOffAsync(uri, e, number, cancellationToken);
            }
            catch (Exception e)
            {
                var final = failure(e, number);
                if (ReferenceEquals(final, e))
                {
                    ExceptionDispatchInfo.Capture(e).Throw();
                }

                throw final;
            }
        }
    }

    /// <summary>Network hiccups, server overload and per-attempt timeouts are worth another try; 404 and bad hashes are not.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        _ when cancellationToken.IsCancellationRequested => false,
        HttpRequestException { StatusCode: { } status } => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        HttpRequestException => true,
        IOException => true,
        OperationCanceledException => true,
        _ => false,
    };

    private async Task BackOffAsync(Uri uri, Exception e, int attempt, CancellationToken cancellationToken)
    {
        var delay = options.FirstBackoff * Math.Pow(2, attempt - 1);
        logger.LogWarning("GET {Uri} failed ({Error}); attempt {Next} of {Attempts} in {Delay} ms",
            uri, e.Message, attempt + 1, options.Attempts, (int)delay.TotalMilliseconds);
        await Task.Delay(delay, cancellationToken);
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Net;

/// <summary>The one way to download: temp file, streamed SHA-256, size and hash checked, atomic move, retries on transient errors only.</summary>
public sealed class Downloader(HttpClient http, ILogger<Downloader> logger, DownloadOptions? options = null)
{
    /// <summary>The retry policy of every download, for other requests that should retry the same way.</summary>
    public RetryPolicy Retry { get; } = new(options ?? new DownloadOptions(), logger);

    /// <summary>Downloads <paramref name="uri"/> to <paramref name="destination"/>; a partial or mismatching file never survives.</summary>
    /// <param name="progress">Receives byte counts as they arrive (for progress bars); when an attempt fails they are taken back by a
    /// negative count.</param>
    public async Task<DownloadResult> DownloadAsync(Uri uri, string destination, ExpectedContent expected,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(expected);
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(directory);
        return await Retry.RunAsync(uri, async attempt =>
        {
            var temp = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
            long received = 0;
            try
            {
                var (size, sha256) = await FetchAsync(uri, temp, expected, n => { received += n; progress?.Report(n); }, cancellationToken);
                File.Move(temp, destination, overwrite: true);
                return new DownloadResult(destination, size, sha256, attempt);
            }
            catch
            {
                File.Delete(temp);
                progress?.Report(-received);
                throw;
            }
        }, (e, attempts) => Classify(e, uri, expected, attempts, cancellationToken), cancellationToken);
    }

    /// <summary>Downloads a small file into memory with the same checks and retries.</summary>
    public async Task<byte[]> GetBytesAsync(Uri uri, ExpectedContent expected, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"pigsty-get-{Guid.NewGuid():N}");
        try
        {
            await DownloadAsync(uri, temp, expected, null, cancellationToken);
            return await File.ReadAllBytesAsync(temp, cancellationToken);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task<(long Size, string Sha256)> FetchAsync(Uri uri, string temp, ExpectedContent expected,
        Action<long> onBytes, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(Retry.Options.AttemptTimeout);
        var token = attemptTimeout.Token;
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var input = await response.Content.ReadAsStreamAsync(token))
        await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await input.ReadAsync(buffer, token)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), token);
                size += read;
                onBytes(read);
                if (expected.Size is { } limit && size > limit)
                {
                    throw new IntegrityException($"{expected.Label}: {uri} sent more than the {limit} bytes the index lists");
                }
            }
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (expected.Size is { } want && size != want)
        {
            throw new IntegrityException($"{expected.Label}: {uri} is {size} bytes, the index lists {want} (truncated download?)");
        }

        if (expected.Sha256 is { } digest && !string.Equals(digest, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new IntegrityException($"{expected.Label}: SHA-256 of {uri} is {sha256}, the index lists {digest}");
        }

        return (size, sha256);
    }

    private static Exception Classify(Exception e, Uri uri, ExpectedContent expected, int attempts, CancellationToken cancellationToken)
    {
        if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Re-thrown with the caller's token: a linked per-attempt token would make callers
            // (Parallel.ForEachAsync among them) mistake their own cancellation for a failure.
            return new OperationCanceledException($"{expected.Label}: GET {uri} cancelled", e, cancellationToken);
        }

        if (e is ApplianceException)
        {
            return e;
        }

        var tries = attempts > 1 ? $" after {attempts} attempts" : "";
        return e switch
        {
            HttpRequestException or IOException or OperationCanceledException =>
                new UpstreamException($"{expected.Label}: GET {uri} failed{tries}: {e.Message}", e),
            _ => e,
        };
    }
}

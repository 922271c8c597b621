using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.Net;

/// <summary>The downloader against a real HTTP server on loopback.</summary>
public sealed class DownloaderTests : IDisposable
{
    private static readonly byte[] Body = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
    private static readonly string BodySha = Checksums.Sha256(Body);
    private readonly LoopbackHttpServer _server = new();
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private readonly Downloader _downloader;

    public DownloaderTests()
    {
        _downloader = new Downloader(_http, NullLogger<Downloader>.Instance,
            new DownloadOptions { FirstBackoff = TimeSpan.FromMilliseconds(10), Attempts = 3 });
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Downloads_and_checks_size_and_sha256()
    {
        _server.MapBytes("/pool/a.deb", Body);
        var destination = _temp.File("a.deb");

        var result = await Download("/pool/a.deb", destination, new ExpectedContent("a", Body.Length, BodySha));

        Assert.Equal(Body, await File.ReadAllBytesAsync(destination));
        Assert.Equal(BodySha, result.Sha256);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Wrong_hash_is_an_integrity_error_and_nothing_is_kept()
    {
        _server.MapBytes("/a.deb", Body);
        var wrong = new string('0', 64);

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            Download("/a.deb", _temp.File("a.deb"), new ExpectedContent("pkg a", Body.Length, wrong)));

        Assert.Contains("pkg a: SHA-256 of", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
        Assert.Equal(1, _server.Hits("/a.deb"));
    }

    [Fact]
    public async Task Short_body_is_reported_as_truncated()
    {
        _server.MapBytes("/a.deb", Body[..1000]);

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            Download("/a.deb", _temp.File("a.deb"), new ExpectedContent("a", Body.Length, BodySha)));

        Assert.Contains("is 1000 bytes, the index lists 200000 (truncated download?)", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Not_found_fails_at_once_naming_the_url()
    {
        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            Download("/gone.deb", _temp.File("gone.deb"), new ExpectedContent("gone", null, null)));

        Assert.Contains($"gone: GET {_server.BaseUri}gone.deb failed: HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Hits("/gone.deb"));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_success()
    {
        var calls = 0;
        _server.Map("/flaky", context =>
            LoopbackHttpServer.Respond(context, Interlocked.Increment(ref calls) < 3 ? 503 : 200, Body));

        var result = await Download("/flaky", _temp.File("flaky"), new ExpectedContent("flaky", Body.Length, BodySha));

        Assert.Equal(3, result.Attempts);
        Assert.Equal(Body, await File.ReadAllBytesAsync(_temp.File("flaky")));
    }

    [Fact]
    public async Task Persistent_server_errors_give_up_after_the_configured_attempts()
    {
        _server.Map("/down", context => LoopbackHttpServer.Respond(context, 502, []));

        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            Download("/down", _temp.File("down"), new ExpectedContent("down", null, null)));

        Assert.Contains("after 3 attempts: HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Hits("/down"));
    }

    [Fact]
    public async Task A_failed_download_leaves_the_previous_file_alone()
    {
        var destination = _temp.Write("a.deb", "previous");
        _server.MapBytes("/a.deb", Body);

        await Assert.ThrowsAsync<IntegrityException>(() =>
            Download("/a.deb", destination, new ExpectedContent("a", null, new string('f', 64))));

        Assert.Equal("previous", await File.ReadAllTextAsync(destination));
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Cancellation_stops_and_removes_the_partial_file()
    {
        var started = new TaskCompletionSource();
        _server.Map("/slow", async context =>
        {
            context.Response.ContentLength64 = Body.Length;
            await context.Response.OutputStream.WriteAsync(Body.AsMemory(0, 1000));
            await context.Response.OutputStream.FlushAsync();
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30));
        });
        using var cancel = new CancellationTokenSource();

        var download = _downloader.DownloadAsync(new Uri(_server.BaseUri, "slow"), _temp.File("slow"),
            new ExpectedContent("slow", Body.Length, null), null, cancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    private Task<DownloadResult> Download(string path, string destination, ExpectedContent expected) =>
        _downloader.DownloadAsync(new Uri(_server.BaseUri, path.TrimStart('/')), destination, expected, null, CancellationToken.None);
}

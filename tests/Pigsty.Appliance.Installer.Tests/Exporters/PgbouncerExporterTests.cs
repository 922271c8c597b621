using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Installer.Exporters;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Exporters;

/// <summary>The exporter's failure paths; its reading of a real pgbouncer is in PgsqlRealToolsTests.</summary>
public sealed class PgbouncerExporterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static PgbouncerExporter Exporter() => new(NullLogger<PgbouncerExporter>.Instance);

    [Fact]
    public async Task No_console_is_a_failed_scrape()
    {
        var text = await Exporter().ScrapeAsync(_temp.Path, 6432, "postgres", CancellationToken.None);

        Assert.Equal(PgbouncerMetrics.Render([], up: false), text);
    }

    [Fact]
    public async Task A_console_that_never_answers_is_a_failed_scrape_within_the_scrape_timeout()
    {
        using var console = Listen(6432);
        var accepted = console.AcceptAsync(CancellationToken.None); // accepts, then stays silent

        var started = System.Diagnostics.Stopwatch.StartNew();
        var text = await Exporter().ScrapeAsync(_temp.Path, 6432, "postgres", CancellationToken.None);

        Assert.Equal(PgbouncerMetrics.Render([], up: false), text);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"took {started.Elapsed}: VictoriaMetrics gives a scrape 8 s");
        (await accepted).Dispose();
    }

    [Fact]
    public async Task A_console_that_wants_a_password_is_refused_by_name()
    {
        using var console = Listen(6433);
        var serve = Task.Run(async () =>
        {
            using var client = await console.AcceptAsync();
            var startup = new byte[256];
            _ = await client.ReceiveAsync(startup);
            // AuthenticationMD5Password: 'R', length 12, code 5, a 4-byte salt.
            await client.SendAsync(new byte[] { (byte)'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4 });
        });

        var error = await Assert.ThrowsAsync<IOException>(() => PgbouncerConsole.QueryAsync(
            PgbouncerConsole.SocketPath(_temp.Path, 6433), "postgres", ["SHOW STATS"], CancellationToken.None));

        Assert.Contains("authentication method 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("peer", error.Message, StringComparison.Ordinal);
        await serve;
    }

    private Socket Listen(int port)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(PgbouncerConsole.SocketPath(_temp.Path, port)));
        socket.Listen(1);
        return socket;
    }
}

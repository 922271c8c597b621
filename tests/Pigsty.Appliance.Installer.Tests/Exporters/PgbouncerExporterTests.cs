using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
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

    [Fact(Timeout = 60_000)]
    public async Task Each_scrape_has_a_connection_of_its_own()
    {
        // Kept alive, the connection would be closed by the listener after 15 s idle, and a scraper reusing it 30 s later fails.
        int port;
        using (var probe = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var stop = new CancellationTokenSource();
        var serving = Exporter().ServeAsync($"http://127.0.0.1:{port}/", _temp.Path, 6432, "postgres", stop.Token);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

        Assert.True(response.Headers.ConnectionClose);
        Assert.Equal(PgbouncerMetrics.Render([], up: false), await response.Content.ReadAsStringAsync());
        await stop.CancelAsync();
        await serving;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_console_that_never_answers_is_a_failed_scrape_within_the_scrape_timeout()
    {
        using var console = Listen(6432);
        var accepted = console.AcceptAsync(CancellationToken.None); // accepts, then stays silent
        var clock = new FakeTimeProvider();

        var scrape = new PgbouncerExporter(NullLogger<PgbouncerExporter>.Instance, clock).ScrapeAsync(_temp.Path, 6432, "postgres", CancellationToken.None);
        using var connection = await accepted; // the clock moves only once the exporter waits on a connected console
        clock.Advance(TimeSpan.FromSeconds(5.9));
        await Task.Delay(200);
        Assert.False(scrape.IsCompleted, "the scrape gave up before its 6 s");
        clock.Advance(TimeSpan.FromSeconds(0.1)); // 6 s: under VictoriaMetrics' 8 s scrape timeout

        Assert.Equal(PgbouncerMetrics.Render([], up: false), await scrape);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_row_that_runs_past_its_message_is_a_protocol_error()
    {
        using var console = Listen(6434);
        var serve = Task.Run(async () =>
        {
            using var client = await console.AcceptAsync();
            var buffer = new byte[256];
            _ = await client.ReceiveAsync(buffer);
            // AuthenticationOk, ReadyForQuery, then after the query a DataRow whose one value claims 100 bytes and has none.
            await client.SendAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 0, (byte)'Z', 0, 0, 0, 5, (byte)'I' });
            _ = await client.ReceiveAsync(buffer);
            await client.SendAsync(new byte[] { (byte)'D', 0, 0, 0, 10, 0, 1, 0, 0, 0, 100 });
        });

        var error = await Assert.ThrowsAsync<IOException>(() => PgbouncerConsole.QueryAsync(
            PgbouncerConsole.SocketPath(_temp.Path, 6434), "postgres", ["SHOW STATS"], CancellationToken.None));

        Assert.Contains("malformed 'D' message", error.Message, StringComparison.Ordinal);
        await serve;
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

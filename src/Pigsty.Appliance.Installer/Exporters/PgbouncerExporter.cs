using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using System.Net.Sockets;

namespace Pigsty.Appliance.Installer.Exporters;

/// <summary>Serves pgbouncer's statistics on /metrics, reading its admin console over the Unix socket (peer, as the dbsu).</summary>
/// <remarks>Debian 12's prometheus-pgbouncer-exporter 1.7 cannot read pgbouncer 1.18 (it wants a removed column), so the appliance brings its own.</remarks>
public sealed class PgbouncerExporter(ILogger<PgbouncerExporter> logger, TimeProvider? time = null)
{
    private static readonly string[] Commands = ["SHOW STATS", "SHOW POOLS", "SHOW LISTS", "SHOW DATABASES"];

    /// <summary>One scrape's bound, under VictoriaMetrics' default scrape_timeout (8 s).</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(6);

    /// <summary>One scrape: every SHOW command in one console session; pgbouncer_up 0 (and nothing else) when the console does not answer.</summary>
    public async Task<string> ScrapeAsync(string socketDirectory, int port, string user, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, time ?? TimeProvider.System);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string error;
        try
        {
            var results = await PgbouncerConsole.QueryAsync(PgbouncerConsole.SocketPath(socketDirectory, port), user, Commands, bound.Token);
            return PgbouncerMetrics.Render(results, up: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A slow console is a failed scrape, not the end of the exporter: VictoriaMetrics would see the target down for the rest of the run.
            error = $"no answer within {Timeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            error = e.Message;
        }

        logger.LogWarning("{Commands} on {Socket}: {Error}", string.Join('/', Commands), PgbouncerConsole.SocketPath(socketDirectory, port), error);
        return PgbouncerMetrics.Render([], up: false);
    }

    /// <summary>Serves /metrics on <paramref name="listen"/> (e.g. <c>http://+:9631/</c>) until cancelled.</summary>
    public async Task ServeAsync(string listen, string socketDirectory, int port, string user, CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add(listen);
        listener.Start();
        logger.LogInformation("pgbouncer exporter listening on {Listen}", listen);
        await using var stop = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                // Stopped: on Linux the pending wait ends with the listener disposed.
                return;
            }

            var body = context.Request.Url?.AbsolutePath == "/metrics"
                ? await ScrapeAsync(socketDirectory, port, user, cancellationToken)
                : "pigsty-appliance pgbouncer exporter: see /metrics\n";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            // HttpListener drops a kept-alive connection after 15 s idle; VictoriaMetrics, scraping every 30 s, would write the next
            // request into the closed connection and fail every other scrape (HA run 9). One connection per scrape instead.
            context.Response.KeepAlive = false;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
            context.Response.Close();
        }
    }
}

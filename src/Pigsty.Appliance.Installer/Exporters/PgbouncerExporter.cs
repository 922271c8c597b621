using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Exporters;

/// <summary>Serves pgbouncer's statistics on /metrics, reading its admin console with psql over the Unix socket (peer, as the dbsu).</summary>
/// <remarks>Debian 12's prometheus-pgbouncer-exporter 1.7 cannot read pgbouncer 1.18 (it wants a removed column), so the appliance brings its own.</remarks>
public sealed class PgbouncerExporter(IProcessRunner runner, ILogger<PgbouncerExporter> logger)
{
    private static readonly string[] Commands = ["stats", "pools", "lists", "databases"];

    /// <summary>One scrape: every SHOW command; pgbouncer_up 0 (and nothing else) when the console does not answer.</summary>
    public async Task<string> ScrapeAsync(string socketDirectory, int port, string user, CancellationToken cancellationToken)
    {
        var results = new List<(string, string)>();
        foreach (var command in Commands)
        {
            ProcessResult result;
            try
            {
                result = await runner.RunAsync(new ProcessSpec("psql",
                    ["--host", socketDirectory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", user,
                     "--dbname", "pgbouncer", "--no-psqlrc", "--csv", "--command", $"SHOW {command.ToUpperInvariant()}"])
                {
                    ThrowOnNonZeroExit = false,
                    Timeout = TimeSpan.FromSeconds(10),
                }, cancellationToken);
            }
            catch (ToolException e) when (e.TimedOut)
            {
                // A slow console is a failed scrape, not the end of the exporter: on a loaded guest (BootTest full under TCG) a
                // timed-out psql ended the process ten times, and VictoriaMetrics saw the target down for the rest of the run.
                logger.LogWarning("SHOW {Command}: {Error}", command, e.Message);
                return PgbouncerMetrics.Render([], up: false);
            }

            if (!result.Succeeded)
            {
                logger.LogWarning("SHOW {Command}: {Error}", command, result.StandardError.Trim());
                return PgbouncerMetrics.Render([], up: false);
            }

            results.Add((command, result.StandardOutput));
        }

        return PgbouncerMetrics.Render(results, up: true);
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
            catch (HttpListenerException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var body = context.Request.Url?.AbsolutePath == "/metrics"
                ? await ScrapeAsync(socketDirectory, port, user, cancellationToken)
                : "pigsty-appliance pgbouncer exporter: see /metrics\n";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
            context.Response.Close();
        }
    }
}

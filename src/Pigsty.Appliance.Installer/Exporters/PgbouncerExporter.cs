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

    /// <summary>Starts each command's CSV in psql's output (an <c>\echo</c> line, which no CSV row of pgbouncer's begins with).</summary>
    private const string SectionMarker = "#pigsty-appliance-section ";

    /// <summary>One psql for the whole scrape, and under VictoriaMetrics' default scrape_timeout (8 s).</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(6);

    /// <summary>One scrape: every SHOW command in one psql session; pgbouncer_up 0 (and nothing else) when the console does not answer.</summary>
    /// <remarks>
    /// One session, not one psql per command: on a loaded guest (BootTest full under TCG) four psql starts took longer than the scrape
    /// timeout, and VictoriaMetrics saw the target down though every scrape succeeded.
    /// </remarks>
    public async Task<string> ScrapeAsync(string socketDirectory, int port, string user, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--host", socketDirectory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", user,
            "--dbname", "pgbouncer", "--no-psqlrc", "--csv", "--set", "ON_ERROR_STOP=1"];
        foreach (var command in Commands)
        {
            arguments.AddRange(["--command", $"\\echo {SectionMarker}{command}", "--command", $"SHOW {command.ToUpperInvariant()}"]);
        }

        string? error;
        try
        {
            var result = await runner.RunAsync(new ProcessSpec("psql", arguments) { ThrowOnNonZeroExit = false, Timeout = Timeout }, cancellationToken);
            if (result.Succeeded)
            {
                return PgbouncerMetrics.Render(Sections(result.StandardOutput), up: true);
            }

            error = result.StandardError.Trim();
        }
        catch (ToolException e) when (e.TimedOut)
        {
            // A slow console is a failed scrape, not the end of the exporter: a timed-out psql once ended the process ten times in
            // one run, and VictoriaMetrics saw the target down for the rest of it.
            error = e.Message;
        }

        logger.LogWarning("SHOW {Commands}: {Error}", string.Join('/', Commands).ToUpperInvariant(), error);
        return PgbouncerMetrics.Render([], up: false);
    }

    /// <summary>Splits one psql's output at the section markers into (command, CSV) pairs.</summary>
    internal static IReadOnlyList<(string Command, string Csv)> Sections(string output)
    {
        var sections = new List<(string, string)>();
        string? command = null;
        var csv = new StringBuilder();
        var lines = output.Split('\n');
        // psql ends its output with a newline: the empty string after it is no line.
        foreach (var line in lines.Take(output.EndsWith('\n') ? lines.Length - 1 : lines.Length))
        {
            if (line.StartsWith(SectionMarker, StringComparison.Ordinal))
            {
                Close();
                command = line[SectionMarker.Length..].Trim();
                continue;
            }

            csv.Append(line).Append('\n');
        }

        Close();
        return sections;

        void Close()
        {
            if (command is not null)
            {
                sections.Add((command, csv.ToString()));
            }

            csv.Clear();
        }
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

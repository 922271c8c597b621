using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Xunit;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// node_exporter's textfile collector as the Prometheus text parser: it reads a directory of <c>*.prom</c> files as a node's
/// node_exporter does, so a file it rejects (<c>node_textfile_scrape_error 1</c>) is one the backup-age alert would never see.
/// </summary>
public static class TextfileCollector
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Runs prometheus-node-exporter with only the textfile collector over <paramref name="directory"/> on loopback, scrapes it once and stops it.</summary>
    public static async Task<TextfileScrape> ScrapeAsync(string directory, CancellationToken cancellationToken)
    {
        var program = RealTool.Require("prometheus-node-exporter");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var log = new List<string>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var exporter = ProcessRunner.Silent.RunAsync(new ProcessSpec(program,
            [
                $"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", "--collector.textfile",
                $"--collector.textfile.directory={directory}",
            ])
            {
                ThrowOnNonZeroExit = false,
                KillGrace = TimeSpan.FromSeconds(2),
                OnErrorLine = line =>
                {
                    lock (log)
                    {
                        log.Add(line);
                    }
                },
            }, stop.Token);
            try
            {
                var until = DateTime.UtcNow + Patience;
                while (!exporter.IsCompleted && DateTime.UtcNow < until)
                {
                    try
                    {
                        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken);
                        lock (log)
                        {
                            return new TextfileScrape(metrics, string.Join('\n', log));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100, cancellationToken);
                    }
                }

                // It exited: most likely another test took the port between the probe and its bind.
                var ended = exporter.IsCompleted ? await exporter : null;
                Assert.True(attempt < 3 && ended is not null,
                    $"prometheus-node-exporter on port {port} {(ended is null ? $"did not answer within {Patience.TotalSeconds} s" : $"exited {ended.ExitCode}")}: {string.Join('\n', log)}");
            }
            finally
            {
                await stop.CancelAsync();
                try
                {
                    await exporter;
                }
                catch (OperationCanceledException)
                {
                    // Stopped by us, as intended.
                }
                catch (ToolException)
                {
                    // It had already failed; the assertion above said why.
                }
            }
        }
    }
}

using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Installer.Exporters;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>pgbouncer-exporter</c>: serves pgbouncer's statistics for VictoriaMetrics (run by pgbouncer-exporter.service).</summary>
public static class PgbouncerExporterCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var listen = new Option<string>("--listen") { Description = "HTTP prefix to serve /metrics on", DefaultValueFactory = _ => "http://+:9631/" };
        var socket = new Option<string>("--socket-dir") { Description = "pgbouncer's Unix socket directory", DefaultValueFactory = _ => "/var/run/postgresql" };
        var port = new Option<int>("--port") { Description = "pgbouncer's port", DefaultValueFactory = _ => 6432 };
        var user = new Option<string>("--user") { Description = "Admin-console user (peer authentication: run as this OS user)", DefaultValueFactory = _ => "postgres" };
        var once = new Option<bool>("--once") { Description = "Print one scrape and exit" };
        var command = new Command("pgbouncer-exporter", "Serve pgbouncer's SHOW STATS/POOLS/LISTS/DATABASES as Prometheus metrics") { listen, socket, port, user, once };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var exporter = new PgbouncerExporter(context.Logger<PgbouncerExporter>());
            if (parseResult.GetValue(once))
            {
                await context.Io.Out.WriteAsync(await exporter.ScrapeAsync(parseResult.GetRequiredValue(socket), parseResult.GetValue(port),
                    parseResult.GetRequiredValue(user), cancellationToken));
                return 0;
            }

            await exporter.ServeAsync(parseResult.GetRequiredValue(listen), parseResult.GetRequiredValue(socket), parseResult.GetValue(port),
                parseResult.GetRequiredValue(user), cancellationToken);
            return 0;
        });
        return command;
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Exporters;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Exporters;

public sealed class PgbouncerExporterTests
{
    [Fact]
    public async Task A_console_that_times_out_is_a_failed_scrape_not_the_end_of_the_exporter()
    {
        var processes = new ScriptedProcesses();
        processes.On(s => s.FileName == "psql", s => throw new ToolException("psql", null, "", "psql timed out after 10 s and was stopped") { TimedOut = true });
        var exporter = new PgbouncerExporter(processes, NullLogger<PgbouncerExporter>.Instance);

        var text = await exporter.ScrapeAsync("/var/run/postgresql", 6432, "postgres", CancellationToken.None);

        Assert.Contains("pgbouncer_up 0\n", text, StringComparison.Ordinal);
        Assert.Single(processes.Runs);
    }

    [Fact]
    public async Task A_console_that_refuses_is_a_failed_scrape()
    {
        var processes = new ScriptedProcesses();
        processes.On(s => s.FileName == "psql", _ => ScriptedProcesses.Fail(2, "psql: error: connection to server on socket failed"));
        var exporter = new PgbouncerExporter(processes, NullLogger<PgbouncerExporter>.Instance);

        var text = await exporter.ScrapeAsync("/var/run/postgresql", 6432, "postgres", CancellationToken.None);

        Assert.Contains("pgbouncer_up 0\n", text, StringComparison.Ordinal);
    }
}

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

    [Fact]
    public async Task A_scrape_is_one_psql_session_for_every_show_command_and_splits_its_output()
    {
        var processes = new ScriptedProcesses();
        processes.On(s => s.FileName == "psql", _ => ScriptedProcesses.Ok(
            "#pigsty-appliance-section stats\ndatabase,total_xact_count\npgbouncer,3\n#pigsty-appliance-section pools\n"
            + "#pigsty-appliance-section lists\nlist,items\ndatabases,2\n#pigsty-appliance-section databases\nname,\"host\"\n"));
        var exporter = new PgbouncerExporter(processes, NullLogger<PgbouncerExporter>.Instance);

        var text = await exporter.ScrapeAsync("/var/run/postgresql", 6432, "postgres", CancellationToken.None);

        var run = Assert.Single(processes.Runs);
        Assert.Equal(["SHOW STATS", "SHOW POOLS", "SHOW LISTS", "SHOW DATABASES"], run.Arguments.Where(a => a.StartsWith("SHOW ", StringComparison.Ordinal)));
        Assert.True(run.Timeout < TimeSpan.FromSeconds(8), "a scrape must end within VictoriaMetrics' default scrape_timeout");
        Assert.Contains("pgbouncer_up 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pgbouncer_stats_total_xact_count{database=\"pgbouncer\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("pgbouncer_lists_items{list=\"databases\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sections_keep_each_commands_csv_whole_and_drop_the_final_newline_only()
    {
        var sections = PgbouncerExporter.Sections("#pigsty-appliance-section a\nx,y\n\"1\n2\",3\n#pigsty-appliance-section b\n");
        Assert.Equal([("a", "x,y\n\"1\n2\",3\n"), ("b", "")], sections);
    }
}

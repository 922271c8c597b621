using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>
/// The rendered pg-backup script run by sh, with stand-in psql and pgbackrest first in PATH (the real runuser drops to the dbsu),
/// and the metric it writes read by node_exporter's textfile collector, which is what the backup-age alert depends on.
/// </summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class BackupScriptTests : IDisposable
{
    private const string Series = PgsqlUnits.BackupMetric + "{cls=\"pg-meta\",type=\"full\"}";

    private readonly TempDirectory _temp = new();
    private readonly string _textfiles;
    private readonly string _calls;

    public BackupScriptTests()
    {
        // The dbsu runs the stand-ins and appends to the call log: both must be reachable by it.
        File.SetUnixFileMode(_temp.Path, FileSpec.Directory.Mode);
        _textfiles = Directory.CreateDirectory(_temp.File("node-exporter")).FullName;
        _calls = _temp.Write("calls", "");
        File.SetUnixFileMode(_calls, (UnixFileMode)0b110_110_110);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task On_the_primary_it_backs_up_as_the_dbsu_and_node_exporter_reads_the_metric_it_writes()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var run = await RunAsync(role: "f", "full");

        Assert.True(run.Succeeded, run.StandardOutput + run.StandardError);
        Assert.Equal(["postgres: psql -XAtq -p 5432 -d postgres -c select pg_is_in_recovery()", "postgres: pgbackrest --stanza=pg-meta --type=full backup"],
            File.ReadAllLines(_calls));
        Assert.Equal(["pgbackrest.prom"], Directory.GetFiles(_textfiles).Select(f => Path.GetFileName(f)));
        var scrape = await TextfileCollector.ScrapeAsync(_textfiles, CancellationToken.None);
        Assert.True(scrape.Parsed, $"node_exporter rejected pgbackrest.prom:\n{await File.ReadAllTextAsync(Path.Combine(_textfiles, "pgbackrest.prom"))}\n{scrape.Log}");
        var value = scrape.Value(Series);
        Assert.True(value is { } seconds && seconds >= before && seconds <= DateTimeOffset.UtcNow.ToUnixTimeSeconds(), $"{Series} is {value}:\n{scrape.Metrics}");
    }

    [Fact]
    public async Task Each_type_has_its_own_series_and_the_last_backup_replaces_the_file()
    {
        Assert.True((await RunAsync(role: "f", "full")).Succeeded);
        Assert.True((await RunAsync(role: "f", "incr")).Succeeded);

        var scrape = await TextfileCollector.ScrapeAsync(_textfiles, CancellationToken.None);

        Assert.True(scrape.Parsed, scrape.Log);
        Assert.NotNull(scrape.Value(PgsqlUnits.BackupMetric + "{cls=\"pg-meta\",type=\"incr\"}"));
        Assert.Null(scrape.Value(Series));
    }

    [Fact]
    public async Task On_a_replica_it_backs_up_nothing_and_writes_no_metric()
    {
        var run = await RunAsync(role: "t", "full");

        Assert.True(run.Succeeded, run.StandardError);
        Assert.Equal("pg-meta-1 is not the primary: no backup here\n", run.StandardOutput);
        Assert.DoesNotContain(File.ReadAllLines(_calls), c => c.Contains("pgbackrest", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_textfiles));
    }

    [Fact]
    public async Task A_failed_backup_keeps_the_last_metric()
    {
        Assert.True((await RunAsync(role: "f", "full")).Succeeded);
        var last = await File.ReadAllTextAsync(Path.Combine(_textfiles, "pgbackrest.prom"));

        var failed = await RunAsync(role: "f", "full", pgbackrestExit: 82);

        Assert.Equal(82, failed.ExitCode);
        Assert.Equal(last, await File.ReadAllTextAsync(Path.Combine(_textfiles, "pgbackrest.prom")));
    }

    [Theory]
    [InlineData("weekly")]
    [InlineData("full\"} 1\nfake_metric{x=\"")]
    public async Task A_type_other_than_full_diff_or_incr_is_refused_before_anything_runs(string type)
    {
        var run = await RunAsync(role: "f", type);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("usage: pg-backup [full|diff|incr]\n", run.StandardError);
        Assert.Empty(File.ReadAllLines(_calls));
        Assert.Empty(Directory.GetFiles(_textfiles));
    }

    /// <summary>
    /// Runs the rendered script with its textfile directory moved into the test's and stand-ins first in PATH: psql answers
    /// pg_is_in_recovery() with <paramref name="role"/>; pgbackrest prints nothing (its console shows only warnings by default).
    /// </summary>
    private async Task<ProcessResult> RunAsync(string role, string type, int pgbackrestExit = 0)
    {
        var bin = Directory.CreateDirectory(_temp.File("bin")).FullName;
        Standin(Path.Combine(bin, "psql"), $"echo {role}");
        Standin(Path.Combine(bin, "pgbackrest"), $"exit {pgbackrestExit}");
        var script = _temp.Write("pg-backup", PgsqlUnits.BackupScript(PgsqlFixture.Settings("single-node.yml", "10.10.10.10"))
            .Replace(PgsqlUnits.TextfileDirectory, _textfiles, StringComparison.Ordinal));
        var path = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        RealTool.Require("runuser");
        return await ProcessRunner.Silent.RunAsync(RealTool.Spec("sh", script, type) with
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = path },
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None);
    }

    /// <summary>A program that logs who ran it with which arguments, then does <paramref name="then"/>.</summary>
    private void Standin(string path, string then)
    {
        File.WriteAllText(path, $"#!/bin/sh\necho \"$(id -un): $(basename \"$0\") $*\" >> {_calls}\n{then}\n");
        File.SetUnixFileMode(path, FileSpec.Directory.Mode);
    }
}

using System.Globalization;
using System.Text.Json;
using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>
/// The load helper against a real PostgreSQL 15 on loopback: single writes and reads, a bounded load, and a load that rides out the
/// server's crash and restart (an outage the figures measure, with no acknowledged commit lost).
/// </summary>
public sealed class HaLoadTests : IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly TempDirectory _temp = new();
    private readonly int _port = FreePort.Next();
    private string _data = "";

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);
        _data = Directory.CreateDirectory(_temp.File("data")).FullName;
        Directory.CreateDirectory(_temp.File("run"));
        await Run("chown", "postgres:postgres", _data, _temp.File("run"));
        var initdb = await AsPostgres($"{Bin}/initdb", "-D", _data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C");
        Assert.True(initdb.Succeeded, initdb.StandardError);
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await AsPostgres($"{Bin}/pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        _temp.Dispose();
    }

    [Fact]
    public async Task Writes_reads_back_and_reports_as_json()
    {
        var output = new StringWriter();
        await Load(output).WriteAsync("m1", CancellationToken.None);
        // A second entry point (here the same server by another name) writes the same marker: each write checks its own row.
        await new HaLoad("localhost", _port, "postgres", "unused-with-trust", "postgres", output).WriteAsync("m1", CancellationToken.None);
        await Load(output).ReadAsync("m1", CancellationToken.None);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<HaLoadResult>(l)!).ToList();
        Assert.True(lines[0].Ok, lines[0].Detail);
        Assert.True(lines[1].Ok, lines[1].Detail);
        Assert.Equal(1, lines[1].Count);
        Assert.Contains("(the primary)", lines[2].Detail, StringComparison.Ordinal);
        Assert.Equal(2, lines[2].Count);
    }

    [Fact]
    public async Task A_bounded_load_commits_each_id_once_and_the_server_has_every_acknowledged_one()
    {
        var output = new StringWriter();
        await Load(output).LoadAsync("bounded", 25, TimeSpan.FromMinutes(1), CancellationToken.None);
        var commits = Commits(output);
        var present = await PresentAsync("bounded");

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), commits.Select(c => c.Id));
        Assert.Empty(FailoverFigures.Of(commits, DateTime.UtcNow, present).Lost);
    }

    [Fact]
    public async Task A_load_rides_out_a_crash_and_restart_and_the_figures_measure_the_outage()
    {
        var written = new StringWriter();
        var output = TextWriter.Synchronized(written);
        var load = Load(output).LoadAsync("outage", 100_000, TimeSpan.FromSeconds(60), CancellationToken.None);
        await WaitForAsync(() => Commits(written, output).Count >= 20);

        // Taken once the server is down (pg_ctl -w): a commit acknowledged while it was stopping counts as before the outage.
        await AsPostgres($"{Bin}/pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");
        var killedAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await StartAsync();
        await WaitForAsync(() => Commits(written, output).Count(c => c.At > killedAt) >= 10);
        // The load ends by its own bound; no need to wait the whole minute: a crash stop ends this test's server in DisposeAsync.
        var commits = Commits(written, output);
        var figures = FailoverFigures.Of(commits, killedAt, await PresentAsync("outage"));

        Assert.NotNull(figures.RtoSeconds);
        Assert.InRange(figures.RtoSeconds!.Value, 2.0, 30.0);
        Assert.Empty(figures.Lost);
        Assert.Equal(commits.Count, commits.Select(c => c.Id).Distinct().Count());
        Assert.False(load.IsFaulted);

        // Each attempt the outage failed is a line of its own, with why, and its id is never acknowledged.
        string text;
        lock (output)
        {
            text = written.ToString();
        }

        var failures = text.Split('\n').Where(l => l.StartsWith("{\"failed\":", StringComparison.Ordinal))
            .Select(l => JsonSerializer.Deserialize<FailedAttempt>(l)!).ToList();
        Assert.Contains(failures, f => f.At > killedAt && f.Error.Length > 0);
        Assert.DoesNotContain(failures, f => commits.Any(c => c.Id == f.Id));
    }

    private HaLoad Load(TextWriter output) => new("127.0.0.1", _port, "postgres", "unused-with-trust", "postgres", output);

    private async Task<IReadOnlySet<long>> PresentAsync(string run)
    {
        var output = new StringWriter();
        await Load(output).PresentAsync(run, CancellationToken.None);
        using var document = JsonDocument.Parse(output.ToString());
        return document.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToHashSet();
    }

    private static List<AcknowledgedCommit> Commits(StringWriter written, object? gate = null)
    {
        // The synchronized writer locks itself for each line: reading under the same lock never sees half a line.
        string text;
        lock (gate ?? written)
        {
            text = written.ToString();
        }

        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("{\"id\":", StringComparison.Ordinal))
            .Select(l => JsonSerializer.Deserialize<AcknowledgedCommit>(l)!)];
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the load did not get that far in 45 s");
            await Task.Delay(100);
        }
    }

    private async Task StartAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {_temp.File("run")} -c listen_addresses=127.0.0.1 -c fsync=off");
        var start = await AsPostgres($"{Bin}/pg_ctl", "-D", _data, "-o", options, "-l", _temp.File("run/pg.log"), "-w", "-t", "60", "start");
        Assert.True(start.Succeeded, start.StandardOutput + start.StandardError);
    }

    private static Task<ProcessResult> AsPostgres(string program, params string[] arguments) =>
        Run("runuser", ["-u", "postgres", "--", RealTool.Require(program), .. arguments]);

    private static Task<ProcessResult> Run(string tool, params string[] arguments) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments) with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
}

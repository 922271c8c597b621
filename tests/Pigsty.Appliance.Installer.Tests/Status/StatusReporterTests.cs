using Pigsty.Appliance.Core.Contract;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Status;

public sealed class StatusReporterTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly List<string> _console = [];
    private readonly FakeMachine _machine;
    private readonly StatusReporter _reporter;

    public StatusReporterTests()
    {
        _machine = new FakeMachine(_root.Path);
        _reporter = new StatusReporter(_machine.Files, _console.Add, new SdNotify(null), TimeProvider.System);
    }

    public void Dispose() => _root.Dispose();

    private static Step Step(string id, bool fail = false, params string[] after) => new Step(id, $"title {id}",
        (_, _) => Task.FromResult(false),
        (_, _) => fail ? throw new InvalidOperationException("broken") : Task.CompletedTask,
        (_, _) => Task.CompletedTask).After(after);

    private async Task<JsonElement> StatusJson() =>
        JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(_root.Path, "/var/lib/pigsty/status.json"))).RootElement;

    [Fact]
    public async Task Status_json_follows_modules_and_steps_to_the_failure()
    {
        var node = TestNode.Create(_root.Path);
        var plan = new InstallPlan(node, [
            ModulePlan.Run("NODE", [Step("node.a")]),
            ModulePlan.Skip("MINIO", "minio not in bundle"),
            ModulePlan.Run("PGSQL", [Step("pgsql.a", true, "node.a"), Step("pgsql.b", false, "pgsql.a")], "pg_cron: not in bundle"),
        ]);
        await _reporter.PlannedAsync(plan, CancellationToken.None);
        var engine = new InstallEngine(new StepJournal(_machine.Files), _reporter, TimeProvider.System);

        await Assert.ThrowsAnyAsync<Exception>(() => engine.ApplyAsync(plan, new StepContext(node, _machine, NullLogger.Instance), CancellationToken.None));

        var json = await StatusJson();
        Assert.Equal("failed", json.GetProperty("state").GetString());
        Assert.Equal("pgsql.a", json.GetProperty("failed_step").GetString());
        Assert.Equal("broken", json.GetProperty("error").GetString());
        var modules = json.GetProperty("modules").EnumerateArray().Select(m => (m.GetProperty("name").GetString(), m.GetProperty("state").GetString())).ToList();
        Assert.Equal([("NODE", "done"), ("MINIO", "skipped"), ("PGSQL", "failed")], modules);
        Assert.Contains("pigsty: MINIO skipped: minio not in bundle", _console);
        Assert.Contains("pigsty: PGSQL: pgsql.a FAILED", string.Join('\n', _console), StringComparison.Ordinal);
    }

    [Fact]
    public void Banner_names_the_failed_step_and_where_to_look()
    {
        var status = _reporter.Current with { State = "failed", FailedStep = "pgsql.patroni", Error = "waited 60 s for 127.0.0.1:5432\njournal…" };

        var banner = Banner.Render(status, TargetPlatform.Debian13);

        Assert.Contains("Install:     FAILED at step pgsql.patroni: waited 60 s for 127.0.0.1:5432\n", banner, StringComparison.Ordinal);
        Assert.Contains("Credentials: /etc/pigsty/credentials.yml (root only)", banner, StringComparison.Ordinal);
        Assert.StartsWith("Pigsty appliance \\n (\\4) - Debian GNU/Linux 13 (trixie)\n", banner, StringComparison.Ordinal);
    }

    [Fact]
    public void Banner_says_how_to_log_in_to_the_portal() =>
        Assert.Contains("Portal:      http://10.10.10.10/ (login: the seed's nginx_users, else admin with nginx_admin_password)\n",
            Banner.Render(_reporter.Current with { State = "done", Portal = "http://10.10.10.10/" }, TargetPlatform.Debian12), StringComparison.Ordinal);

    [Fact]
    public void Banner_of_a_run_that_never_read_the_bundle_names_no_release() =>
        Assert.StartsWith("Pigsty appliance \\n (\\4)\nInstall:     FAILED", Banner.Render(_reporter.Current with { State = "failed", Error = "no bundle" }, null),
            StringComparison.Ordinal);
}

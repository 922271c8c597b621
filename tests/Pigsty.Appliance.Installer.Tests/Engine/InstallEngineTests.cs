using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Engine;

public sealed class InstallEngineTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly HashSet<string> _done = [];
    private readonly List<string> _applied = [];
    private readonly RecordingObserver _observer = new();
    private readonly LocalFileSystem _files;
    private string? _failOn;

    public InstallEngineTests()
    {
        _files = new LocalFileSystem(ProcessRunner.Silent, _root.Path);
    }

    public void Dispose() => _root.Dispose();

    private Step Step(string id) => new(id, $"do {id}",
        (_, _) => Task.FromResult(_done.Contains(id)),
        (_, _) =>
        {
            if (id == _failOn)
            {
                throw new InvalidOperationException($"{id} broke");
            }

            _applied.Add(id);
            _done.Add(id);
            return Task.CompletedTask;
        },
        (_, _) => Task.CompletedTask);

    private sealed class Module(string name, Func<NodeContext, ModulePlan> plan) : IModule
    {
        public string Name => name;

        public ModulePlan Plan(NodeContext node) => plan(node);
    }

    private (InstallPlan Plan, StepContext Context) Prepare()
    {
        var node = TestNode.Create(_root.Path);
        var plan = InstallPlan.Create(node, [
            new Module("NODE", _ => ModulePlan.Run("NODE", [Step("node.a"), Step("node.b")])),
            new Module("MINIO", _ => ModulePlan.Skip("MINIO", "minio not in bundle")),
            new Module("INFRA", _ => ModulePlan.Run("INFRA", [Step("infra.a")])),
        ]);
        return (plan, new StepContext(node, null!, NullLogger.Instance));
    }

    private Task<InstallResult> Run(InstallPlan plan, StepContext context) =>
        new InstallEngine(new StepJournal(_files), _observer, TimeProvider.System).ApplyAsync(plan, context, CancellationToken.None);

    [Fact]
    public async Task Applies_steps_in_order_and_reports_skipped_modules()
    {
        var (plan, context) = Prepare();

        var result = await Run(plan, context);

        Assert.Equal(["node.a", "node.b", "infra.a"], _applied);
        Assert.Equal([("MINIO", "minio not in bundle")], result.Skipped);
        Assert.Contains("skip MINIO: minio not in bundle", _observer.Lines);
        Assert.False(result.NothingChanged);
        Assert.True(File.Exists(Path.Join(_root.Path, "/var/lib/pigsty/state/node.b.json")));
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_says_so()
    {
        var (plan, context) = Prepare();
        await Run(plan, context);
        _applied.Clear();

        var again = await Run(plan, context);

        Assert.Empty(_applied);
        Assert.True(again.NothingChanged);
        Assert.All(again.Steps, s => Assert.Equal(StepOutcome.AlreadyDone, s.Outcome));
    }

    [Fact]
    public async Task A_failed_step_is_named_journaled_and_the_next_run_resumes_there()
    {
        var (plan, context) = Prepare();
        _failOn = "node.b";

        var error = await Assert.ThrowsAsync<InstallException>(() => Run(plan, context));

        Assert.Equal("step 'node.b' failed: node.b broke", error.Message);
        var journal = await new StepJournal(_files).ReadAsync("node.b", CancellationToken.None);
        Assert.Equal(StepOutcome.Failed, journal!.Outcome);
        Assert.Equal(["node.a"], _applied);

        _failOn = null;
        var resumed = await Run(plan, context);

        Assert.Equal(["node.a", "node.b", "infra.a"], _applied);
        Assert.Equal([StepOutcome.AlreadyDone, StepOutcome.Applied, StepOutcome.Applied], resumed.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public async Task A_failed_steps_reason_reaches_the_journal_status_and_log_with_every_known_secret_masked()
    {
        var inventory = TestNode.SingleNode.Replace("pg_admin_password: given-in-seed",
            "pg_admin_password: given-in-seed\n    pg_users: [ { name: dbuser_app, password: App.Pass-in-list } ]", StringComparison.Ordinal);
        var generated = await TestNode.Create(_root.Path, inventory).Credentials.GetAsync("pg_replication_password", CancellationToken.None);

        // A fresh view of the node, as on the next boot: it knows the generated secret only from credentials.yml.
        var node = TestNode.Create(_root.Path, inventory);
        string[] secrets = [generated, "given-in-seed", "App.Pass-in-list"];
        var failing = new Step("pgsql.patroni", "Patroni", (_, _) => Task.FromResult(false),
            (_, _) => throw new InstallException("patroni.service", "waited 60 s for GET http://10.10.10.10:8008/primary\n--- journal of patroni.service ---\n"
                + $"FATAL: password authentication failed for user \"replicator\" (password {generated})\nadmin given-in-seed, app App.Pass-in-list"),
            (_, _) => Task.CompletedTask);
        var plan = InstallPlan.Create(node, [new Module("PGSQL", _ => ModulePlan.Run("PGSQL", [failing]))]);
        var logger = new RecordingLogger();

        var error = await Assert.ThrowsAsync<InstallException>(() => Run(plan, new StepContext(plan.Node, null!, logger)));

        var journal = await File.ReadAllTextAsync(Path.Join(_root.Path, NodeLayout.StepJournal, "pgsql.patroni.json"));
        foreach (var text in new[] { error.Message, journal, string.Join('\n', _observer.Lines), string.Join('\n', logger.Lines) })
        {
            Assert.Contains("password ***)", text, StringComparison.Ordinal);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }

        Assert.Contains("admin ***, app ***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_step_ids_are_rejected_when_planning()
    {
        var node = TestNode.Create(_root.Path);

        var error = Assert.Throws<InvalidOperationException>(() => InstallPlan.Create(node, [
            new Module("A", _ => ModulePlan.Run("A", [Step("x")])),
            new Module("B", _ => ModulePlan.Run("B", [Step("x")])),
        ]));

        Assert.Equal("step id 'x' is used twice in the plan", error.Message);
    }

    [Fact]
    public void The_plan_describes_steps_and_skips()
    {
        var (plan, _) = Prepare();

        Assert.Equal("""
            node 10.10.10.10 (pg-meta-1)
            NODE: 2 steps
              node.a  do node.a
              node.b  do node.b
            MINIO skipped: minio not in bundle
            INFRA: 1 steps
              infra.a  do infra.a

            """, plan.Describe());
    }
}

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

/// <summary>
/// The engine with fake steps: ordering and overlap are proven with latches (a step that can only finish once another has started),
/// never with timing; a power cut is the run's token cancelled while steps are half done, followed by a new engine on the same state.
/// </summary>
public sealed class InstallEngineTests : IDisposable
{
    /// <summary>Longest a test waits for a latch: only reached when the engine is wrong (a deadlock), never on a pass.</summary>
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _root = new();
    private readonly HashSet<string> _done = [];
    private readonly List<string> _events = [];
    private readonly Dictionary<string, Func<CancellationToken, Task>> _work = [];
    private readonly RecordingObserver _observer = new();
    private readonly LocalFileSystem _files;
    private readonly ManualClock _clock = new();

    public InstallEngineTests()
    {
        _files = new LocalFileSystem(ProcessRunner.Silent, _root.Path);
    }

    public void Dispose() => _root.Dispose();

    /// <summary>A step that is done once applied; its apply runs <see cref="_work"/>[id] (a latch, a failure) when a test sets one.</summary>
    private Step Step(string id, params string[] after) => new Step(id, $"do {id}",
        (_, _) => Task.FromResult(Done(id)),
        async (_, t) =>
        {
            Event($"start {id}");
            if (_work.TryGetValue(id, out var work))
            {
                await work(t);
            }

            lock (_done)
            {
                _done.Add(id);
            }

            Event($"end {id}");
        },
        (_, _) => Task.CompletedTask).After(after);

    private bool Done(string id)
    {
        lock (_done)
        {
            return _done.Contains(id);
        }
    }

    private void Event(string what)
    {
        lock (_events)
        {
            _events.Add(what);
        }
    }

    private List<string> Events()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    private sealed class Module(string name, Func<NodeContext, ModulePlan> plan) : IModule
    {
        public string Name => name;

        public ModulePlan Plan(NodeContext node) => plan(node);
    }

    private InstallPlan Plan(params (string Module, Step[] Steps)[] modules)
    {
        var node = TestNode.Create(_root.Path);
        return InstallPlan.Create(node, modules.Select(m => new Module(m.Module, _ => ModulePlan.Run(m.Module, m.Steps))));
    }

    private StepContext Context(IMachine? machine = null) => new(TestNode.Create(_root.Path), machine!, NullLogger.Instance);

    private Task<InstallResult> Run(InstallPlan plan, int concurrency = InstallEngine.DefaultConcurrency, CancellationToken cancellationToken = default,
        IMachine? machine = null, IReadOnlyList<StepGate>? gates = null) =>
        new InstallEngine(new StepJournal(_files), _observer, _clock, concurrency).ApplyAsync(plan, Context(machine), cancellationToken, gates);

    private static async Task Within(Task task) => await task.WaitAsync(Stuck);

    private void AssertOrder(InstallPlan plan)
    {
        var events = Events();
        foreach (var node in plan.Graph.Nodes)
        {
            var start = events.IndexOf($"start {node.Step.Id}");
            foreach (var before in node.Before.Select(b => plan.Graph.Nodes[b].Step.Id))
            {
                // A dependency without an end in this run was done before it (a resumed run finds it done).
                var end = events.IndexOf($"end {before}");
                Assert.True(start < 0 || end < start, $"{node.Step.Id} started before {before} ended: {string.Join(", ", events)}");
                Assert.True(end >= 0 || Done(before), $"{node.Step.Id} ran, but {before} never did: {string.Join(", ", events)}");
            }
        }
    }

    [Fact]
    public async Task Applies_every_step_and_reports_skipped_modules()
    {
        var node = TestNode.Create(_root.Path);
        var plan = InstallPlan.Create(node, [
            new Module("NODE", _ => ModulePlan.Run("NODE", [Step("node.a"), Step("node.b", "node.a")])),
            new Module("MINIO", _ => ModulePlan.Skip("MINIO", "minio not in bundle")),
            new Module("INFRA", _ => ModulePlan.Run("INFRA", [Step("infra.a", "node.b")])),
        ]);

        var result = await Run(plan);

        Assert.Equal(["start node.a", "end node.a", "start node.b", "end node.b", "start infra.a", "end infra.a"], Events());
        Assert.Equal([("MINIO", "minio not in bundle")], result.Skipped);
        Assert.Contains("skip MINIO: minio not in bundle", _observer.Lines);
        Assert.Equal(["node.a", "node.b", "infra.a"], result.Steps.Select(s => s.Id));
        Assert.False(result.NothingChanged);
        Assert.True(File.Exists(Path.Join(_root.Path, "/var/lib/pigsty/state/node.b.json")));
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_says_so()
    {
        var plan = Plan(("NODE", [Step("node.a"), Step("node.b", "node.a")]), ("INFRA", [Step("infra.a")]));
        await Run(plan);
        _events.Clear();

        var again = await Run(plan);

        Assert.Empty(Events());
        Assert.True(again.NothingChanged);
        Assert.All(again.Steps, s => Assert.Equal(StepOutcome.AlreadyDone, s.Outcome));
    }

    [Fact]
    public async Task Steps_wait_for_their_dependencies_and_for_every_maker_of_what_they_need()
    {
        // a → {b, c} → d; x and y make "rules", which z needs; "certs" is needed but made by nobody on this node.
        var plan = Plan(
            ("NODE", [Step("a"), Step("b", "a"), Step("c", "a"), Step("d", "b", "c")]),
            ("INFRA", [Step("x").Giving("rules"), Step("z").Needing("rules", "certs"), Step("y", "d").Giving("rules")]));
        foreach (var id in new[] { "a", "b", "c", "x", "y" })
        {
            // Each yields, so that a wrong engine would have every chance to start a dependant early.
            _work[id] = async _ => await Task.Yield();
        }

        await Run(plan);

        AssertOrder(plan);
        Assert.Equal(["x", "y"], plan.Graph.Nodes.Single(n => n.Step.Id == "z").Before.Select(b => plan.Graph.Nodes[b].Step.Id).Order());
    }

    [Fact]
    public async Task Independent_steps_run_side_by_side()
    {
        // b can only finish once c has started and c only once b has: one after the other, neither would ever finish.
        var bStarted = new TaskCompletionSource();
        var cStarted = new TaskCompletionSource();
        _work["b"] = async _ =>
        {
            bStarted.SetResult();
            await cStarted.Task;
        };
        _work["c"] = async _ =>
        {
            cStarted.SetResult();
            await bStarted.Task;
        };
        var plan = Plan(("NODE", [Step("a"), Step("b", "a")]), ("ETCD", [Step("c", "a")]), ("PGSQL", [Step("d", "b", "c")]));

        await Within(Run(plan));

        AssertOrder(plan);
        Assert.Equal(["start a", "end a"], Events()[..2]);
        Assert.Equal(["end d"], Events()[^1..]);
    }

    [Fact]
    public async Task No_more_steps_run_at_once_than_the_bound()
    {
        var running = 0;
        var most = 0;
        var two = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        foreach (var id in new[] { "a", "b", "c" })
        {
            _work[id] = async _ =>
            {
                lock (_events)
                {
                    most = Math.Max(most, ++running);
                    if (running == 2)
                    {
                        two.TrySetResult();
                    }
                }

                await release.Task;
                lock (_events)
                {
                    running--;
                }
            };
        }

        var run = Run(Plan(("NODE", [Step("a"), Step("b"), Step("c")])), concurrency: 2);
        await Within(two.Task);

        // Two run and wait for the release: the third has not started, however long it is given to.
        await Task.Yield();
        Assert.Equal(2, Events().Count);
        Assert.All(Events(), e => Assert.StartsWith("start ", e, StringComparison.Ordinal));
        release.SetResult();
        await Within(run);

        Assert.Equal(2, most);
        Assert.Equal(3, Events().Count(e => e.StartsWith("end ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Of_the_ready_steps_the_one_with_the_longest_chain_behind_it_goes_first()
    {
        // One at a time: "leaf" comes first in plan order, but "head" has two steps waiting behind it.
        var plan = Plan(("INFRA", [Step("leaf")]), ("ETCD", [Step("head"), Step("next", "head"), Step("last", "next")]));

        await Run(plan, concurrency: 1);

        Assert.Equal(["start head", "end head", "start next", "end next", "start leaf", "end leaf", "start last", "end last"], Events());
    }

    [Fact]
    public async Task Until_the_serving_step_settles_no_step_off_its_way_runs_beside_a_step_on_it()
    {
        // "backup" and "portal" are ready at once with slots to spare, but "serve" is what clients wait for: while it is not
        // settled no step off its way starts (on a 1-vCPU node one such step beside Patroni's bootstrap stretched it past its
        // deadline), then they run side by side again.
        var served = new TaskCompletionSource();
        var running = 0;
        var beforeServed = 0;
        foreach (var id in new[] { "backup", "portal", "backup-2", "portal-2" })
        {
            _work[id] = async t =>
            {
                lock (_events)
                {
                    running++;
                    beforeServed = served.Task.IsCompleted ? beforeServed : Math.Max(beforeServed, running);
                }

                await served.Task.WaitAsync(t);
                lock (_events)
                {
                    running--;
                }
            };
        }

        _work["serve"] = _ =>
        {
            served.SetResult();
            return Task.CompletedTask;
        };
        var plan = Plan(
            ("INFRA", [Step("portal"), Step("portal-2", "portal")]),
            ("PGSQL", [Step("backup"), Step("backup-2", "backup"), Step("base"), Step("db", "base"), Step("serve", "db") with { Serves = true }]));

        await Within(Run(plan, concurrency: 4));

        Assert.Equal(0, beforeServed);
        AssertOrder(plan);
    }

    [Fact]
    public async Task Once_the_serving_step_settles_the_other_steps_run_side_by_side_again()
    {
        var both = new TaskCompletionSource();
        var started = 0;
        foreach (var id in new[] { "x", "y" })
        {
            _work[id] = async t =>
            {
                if (Interlocked.Increment(ref started) == 2)
                {
                    both.TrySetResult();
                }

                await both.Task.WaitAsync(t);
            };
        }

        // x and y wait for each other: they only finish if they run at the same time, which the bound allows once serve settled.
        await Within(Run(Plan(("PGSQL", [Step("serve") with { Serves = true }, Step("x", "serve"), Step("y", "serve")]))));

        Assert.Equal(["start serve", "end serve"], Events().Take(2));
    }

    [Fact]
    public async Task A_step_that_needs_a_gates_output_waits_for_its_work_while_the_others_run()
    {
        // "repo" needs the bundle; "ca" does not, and the bundle's check only finishes once "ca" has run: a wrong engine that
        // held every step back for the gate (or ran "repo" early) would deadlock or break the order.
        var verified = new TaskCompletionSource();
        _work["ca"] = _ =>
        {
            Event("verified");
            verified.SetResult();
            return Task.CompletedTask;
        };
        var plan = Plan(("NODE", [Step("repo").Needing("bundle"), Step("packages", "repo")]), ("INFRA", [Step("ca")]));

        var result = await Run(plan, gates: [new StepGate("bundle", "bundle verification", verified.Task)]).WaitAsync(Stuck);

        // "repo" may start as soon as the check completed, before "ca" has recorded its end.
        Assert.True(Events().IndexOf("verified") < Events().IndexOf("start repo"), string.Join(", ", Events()));
        Assert.Equal("bundle verification", result.Steps.Single(s => s.Id == "repo").WaitedFor);
    }

    [Fact]
    public async Task A_failed_gate_stops_the_run_with_its_own_error_and_the_steps_that_need_it_never_start()
    {
        var caRunning = new TaskCompletionSource();
        _work["ca"] = async t =>
        {
            caRunning.SetResult();
            await Task.Delay(Timeout.Infinite, t);
        };
        var plan = Plan(("NODE", [Step("repo").Needing("bundle")]), ("INFRA", [Step("ca")]));
        async Task CheckAsync()
        {
            await caRunning.Task;
            throw new IntegrityException("repo_complete: pool/main/e/etcd.deb differs");
        }

        var verified = CheckAsync();

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Within(Run(plan, gates: [new StepGate("bundle", "bundle verification", verified)])));

        Assert.Equal("repo_complete: pool/main/e/etcd.deb differs", error.Message);
        Assert.DoesNotContain("start repo", Events());
        Assert.Contains("Interrupted ca: stopped: bundle verification failed", _observer.Lines);
    }

    [Fact]
    public async Task A_failed_step_stops_the_run_interrupts_the_others_and_the_next_run_resumes_there()
    {
        var cRunning = new TaskCompletionSource();
        _work["b"] = async _ =>
        {
            await cRunning.Task;
            throw new InvalidOperationException("b broke");
        };
        _work["c"] = async t =>
        {
            cRunning.SetResult();
            await Task.Delay(Timeout.Infinite, t);
        };
        var plan = Plan(("NODE", [Step("a"), Step("b", "a"), Step("c", "a")]), ("INFRA", [Step("d", "b", "c")]));

        var error = await Assert.ThrowsAsync<InstallException>(() => Within(Run(plan)));

        Assert.Equal("step 'b' failed: b broke", error.Message);
        var journal = new StepJournal(_files);
        Assert.Equal(StepOutcome.Failed, (await journal.ReadAsync("b", CancellationToken.None))!.Outcome);
        Assert.Null(await journal.ReadAsync("c", CancellationToken.None));
        Assert.Contains("Interrupted c: stopped: another step failed", _observer.Lines);
        Assert.DoesNotContain("start d", Events());

        _work.Clear();
        _events.Clear();
        var resumed = await Run(plan);

        AssertOrder(plan);
        Assert.Equal([StepOutcome.AlreadyDone, StepOutcome.Applied, StepOutcome.Applied, StepOutcome.Applied], resumed.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public async Task A_power_cut_while_steps_run_side_by_side_resumes_them_and_keeps_the_order()
    {
        // b and c are half done when the power goes (both started, neither finished); d waits for both.
        var bothRunning = new CountdownEvent(2);
        foreach (var id in new[] { "b", "c" })
        {
            _work[id] = async t =>
            {
                bothRunning.Signal();
                await Task.Delay(Timeout.Infinite, t);
            };
        }

        var plan = Plan(("NODE", [Step("a"), Step("b", "a")]), ("ETCD", [Step("c", "a")]), ("PGSQL", [Step("d", "b", "c")]));
        using var power = new CancellationTokenSource();
        var run = Run(plan, cancellationToken: power.Token);
        await Within(Task.Run(() => bothRunning.Wait(Stuck)));
        await power.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(run));

        var journal = new StepJournal(_files);
        Assert.Equal(StepOutcome.Applied, (await journal.ReadAsync("a", CancellationToken.None))!.Outcome);
        Assert.Null(await journal.ReadAsync("b", CancellationToken.None));
        Assert.Null(await journal.ReadAsync("c", CancellationToken.None));
        Assert.DoesNotContain("start d", Events());

        // The next boot: a new engine on the same node.
        _work.Clear();
        _events.Clear();
        var resumed = await Run(plan);

        AssertOrder(plan);
        Assert.Equal(["start b", "start c"], Events().Where(e => e is "start b" or "start c").Order());
        Assert.Equal([("a", StepOutcome.AlreadyDone), ("b", StepOutcome.Applied), ("c", StepOutcome.Applied), ("d", StepOutcome.Applied)],
            resumed.Steps.Select(s => (s.Id, s.Outcome)));
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            Assert.NotNull(await journal.ReadAsync(id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_record_says_when_the_step_ran_what_it_waited_for_and_how_long_its_readiness_waits_took()
    {
        var machine = new FakeMachine(_root.Path);
        var plan = Plan(("NODE", [Step("a"), Step("b"), new Step("c", "start c",
            (_, _) => Task.FromResult(false),
            async (c, t) =>
            {
                _clock.Advance(TimeSpan.FromSeconds(3));
                await c.Machine.Health.WaitForPortAsync("x.service", "127.0.0.1", 80, TimeSpan.FromMinutes(1), t);
                await c.Trace.NoteAsync("packages: 2 already installed, 0 to install", t);
            },
            (_, _) => Task.CompletedTask).After("a", "b")]));
        _work["b"] = _ =>
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            return Task.CompletedTask;
        };
        var started = _clock.GetUtcNow();

        var result = await Run(plan, concurrency: 1, machine: machine);

        var c = result.Steps.Single(s => s.Id == "c");
        Assert.Equal("b", c.WaitedFor);
        Assert.Equal(started + TimeSpan.FromSeconds(2), c.Started);
        Assert.Equal(started + TimeSpan.FromSeconds(5), c.Finished);
        Assert.Equal(3, c.Seconds);
        Assert.Equal([new StepWait("x.service: 127.0.0.1:80 accepts connections", 0, true)], c.Waits);
        Assert.Equal(["packages: 2 already installed, 0 to install"], c.Notes);
        Assert.Contains("note c: packages: 2 already installed, 0 to install", _observer.Lines);
        Assert.Equal(["x.service 127.0.0.1:80"], machine.Probes);
    }

    [Fact]
    public void A_dependency_on_a_step_outside_the_plan_is_rejected_when_planning()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Plan(("NODE", [Step("a", "typo")])));

        Assert.Equal("step 'a' runs after 'typo', which is not a step of the plan", error.Message);
    }

    [Fact]
    public void A_cycle_is_rejected_when_planning()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Plan(("NODE", [Step("a", "c"), Step("b", "a"), Step("c", "b")])));

        Assert.Equal("steps wait for each other in a cycle: a waits for c waits for b waits for a", error.Message);
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

        var error = await Assert.ThrowsAsync<InstallException>(() =>
            new InstallEngine(new StepJournal(_files), _observer, _clock).ApplyAsync(plan, new StepContext(plan.Node, null!, logger), CancellationToken.None));

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
        var error = Assert.Throws<InvalidOperationException>(() => Plan(("A", [Step("x")]), ("B", [Step("x")])));

        Assert.Equal("step id 'x' is used twice in the plan", error.Message);
    }

    [Fact]
    public void The_plan_describes_steps_what_they_wait_for_and_skips()
    {
        var node = TestNode.Create(_root.Path);
        var plan = InstallPlan.Create(node, [
            new Module("NODE", _ => ModulePlan.Run("NODE", [Step("node.a"), Step("node.b", "node.a")])),
            new Module("MINIO", _ => ModulePlan.Skip("MINIO", "minio not in bundle")),
            new Module("INFRA", _ => ModulePlan.Run("INFRA", [Step("infra.a").Needing("repo")])),
        ]);

        Assert.Equal("""
            node 10.10.10.10 (pg-meta-1)
            NODE: 2 steps
              node.a  do node.a
              node.b  do node.b  [after node.a]
            MINIO skipped: minio not in bundle
            INFRA: 1 steps
              infra.a  do infra.a

            """, plan.Describe());
    }

    /// <summary>A clock that moves only when a test moves it.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow()
        {
            lock (this)
            {
                return _now;
            }
        }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => GetUtcNow().UtcTicks;

        public void Advance(TimeSpan by)
        {
            lock (this)
            {
                _now += by;
            }
        }
    }
}

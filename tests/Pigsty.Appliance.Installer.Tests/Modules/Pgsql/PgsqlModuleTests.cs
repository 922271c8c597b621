using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

public sealed class PgsqlModuleTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Describe(string sample, string address) =>
        InstallPlan.Create(PgsqlFixture.Node(_root, sample, address), [new EtcdModule(), new PgsqlModule(new FixedResources())]).Describe();

    [Fact]
    public void Single_node_plan_matches_the_golden_plan()
    {
        Golden.Assert(Describe("single-node.yml", "10.10.10.10"), "Modules/Pgsql/Golden/plans/single-node.txt");
    }

    [Fact]
    public void Three_node_plans_bootstrap_on_the_primary_and_clone_on_the_others()
    {
        ModuleNodes.WriteSiteMaterial(_root.Path, "10.10.10.11", "etcd", "pgsql");
        var plans = new[] { "10.10.10.10", "10.10.10.11", "10.10.10.12" }.Select(a => Describe("three-node-ha.yml", a)).ToList();

        Golden.Assert(string.Join("\n", plans), "Modules/Pgsql/Golden/plans/three-node.txt");
        Assert.Contains("pgsql.roles", plans[0], StringComparison.Ordinal);
        Assert.DoesNotContain("pgsql.await-primary", plans[0], StringComparison.Ordinal);
        Assert.All(plans.Skip(1), p =>
        {
            Assert.Contains("pgsql.await-primary  wait for the leader of pg-meta (the one of pg-meta-1, ", p, StringComparison.Ordinal);
            Assert.DoesNotContain("pgsql.roles", p, StringComparison.Ordinal);
            Assert.DoesNotContain("pgsql.backup.stanza", p, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("d12", "postgresql-15")]
    [InlineData("d13", "postgresql-17")]
    public void The_image_preinstall_covers_every_package_a_default_instance_installs(string os, string server)
    {
        var platform = TargetPlatform.ForOs(os, "test");
        var plan = new PgsqlModule(new FixedResources()).Plan(ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10",
            new Dictionary<string, string> { [$"{server}-repack"] = "1.4.8-1" }, platform));
        var title = plan.Steps.Single(s => s.Id == "pgsql.packages").Title;
        var installed = title["install ".Length..].Split(", ");

        // pg_default_extensions brings pg_repack: without it in the image, first boot installs postgresql-<major>-repack.
        Assert.Contains(server, installed);
        Assert.Contains($"{server}-repack", installed);
        Assert.All(installed, p => Assert.Contains(p, PgsqlModule.Descriptor.PackagesOn(platform)));
        Assert.DoesNotContain(installed, p => p.StartsWith("postgresql-1", StringComparison.Ordinal) && !p.StartsWith(server, StringComparison.Ordinal));
    }

    [Fact]
    public void Extensions_the_bundle_lacks_are_skipped_with_a_note()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("extensions: [pg_stat_statements]", "extensions: [pg_stat_statements, vector, timescaledb]", StringComparison.Ordinal);
        var withVector = new PgsqlModule(new FixedResources()).Plan(ModuleNodes.Create(_root.Path, inventory, "10.10.10.10",
            new Dictionary<string, string> { ["postgresql-15-pgvector"] = "0.5.1-1" }));
        var without = new PgsqlModule(new FixedResources()).Plan(ModuleNodes.Create(_root.Path, inventory, "10.10.10.10"));

        Assert.Equal(["extension timescaledb of database meta skipped: the bundle lacks postgresql-15-timescaledb"],
            withVector.Notes.Where(n => n.StartsWith("extension ", StringComparison.Ordinal)));
        Assert.Contains("postgresql-15-pgvector", withVector.Steps.Single(s => s.Id == "pgsql.packages").Title, StringComparison.Ordinal);
        Assert.Contains("extension vector of database meta skipped: the bundle lacks postgresql-15-pgvector", without.Notes);
    }

    [Fact]
    public void The_plan_says_which_users_can_use_which_service_ports()
    {
        // A user without pgbouncer: true is not in pgbouncer's user list: on 5433/5434 it meets only "SASL authentication failed".
        var inventory = ModuleNodes.Sample("single-node.yml").Replace(
            "pgbouncer: true, roles: [dbrole_admin] }",
            "pgbouncer: true, roles: [dbrole_admin] }\n          - { name: dbuser_report, password: r3port, roles: [dbrole_readonly] }",
            StringComparison.Ordinal);

        var notes = new PgsqlModule(new FixedResources()).Plan(ModuleNodes.Create(_root.Path, inventory, "10.10.10.10")).Notes;

        Assert.Contains("service ports 5433 (primary), 5434 (replica) go through pgbouncer: only users with pgbouncer: true can connect there "
            + "(dbuser_dba, dbuser_monitor, dbuser_meta)", notes);
        Assert.Contains("service ports 5436 (default), 5438 (offline) go to postgres directly: every login user pg_hba admits can connect there "
            + "(dbuser_dba, dbuser_monitor, dbuser_meta, dbuser_report)", notes);
        Assert.Contains("user dbuser_report has no pgbouncer: true, so it cannot connect through 5433 (primary), 5434 (replica) (pgbouncer answers "
            + "'SASL authentication failed'): connect on 5436 (default), 5438 (offline) or 5432, or give it pgbouncer: true in pg_users", notes);
        Assert.DoesNotContain(notes, n => n.StartsWith("user dbuser_meta ", StringComparison.Ordinal) || n.StartsWith("user replicator ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_portal_admits_the_same_users_per_service_port_as_the_plan()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace(
            "pgbouncer: true, roles: [dbrole_admin] }",
            "pgbouncer: true, roles: [dbrole_admin] }\n          - { name: dbuser_report, password: r3port, roles: [dbrole_readonly] }",
            StringComparison.Ordinal);

        var connections = PgsqlModule.Descriptor.Connections(ModuleNodes.Create(_root.Path, inventory, "10.10.10.10").Inventory).ToList();

        string[] pooled = ["dbuser_dba", "dbuser_monitor", "dbuser_meta"];
        string[] all = [.. pooled, "dbuser_report"];
        foreach (var (port, users) in new[] { (5433, pooled), (5434, pooled), (5436, all), (5438, all), (5432, all), (6432, pooled) })
        {
            Assert.Equal(users, connections.Single(c => c.Port == port).Logins.Select(l => l.User));
        }
    }

    [Fact]
    public void Without_pgbouncer_every_service_port_goes_to_postgres()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pg_conf: tiny", "pg_conf: tiny\n        pgbouncer_enabled: false", StringComparison.Ordinal);

        var notes = new PgsqlModule(new FixedResources()).Plan(ModuleNodes.Create(_root.Path, inventory, "10.10.10.10")).Notes;

        Assert.Contains(notes, n => n.StartsWith("service ports 5433 (primary), 5434 (replica), 5436 (default), 5438 (offline) go to postgres directly", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.Contains("go through pgbouncer", StringComparison.Ordinal) || n.StartsWith("user ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Steps_converge_the_primary_once_and_a_second_run_does_nothing()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path, [.. PgsqlModule.PackagesFor(15), "postgresql-15-repack"]);
        machine.FakeServices.Active.Add("haproxy.service");
        machine.FakeServices.Enabled.Add("haproxy.service");
        var node = PgsqlFixture.Node(_root, "single-node.yml", "10.10.10.10");
        var context = ModuleNodes.Context(node, machine);
        var backups = 0;
        var stanza = false;
        machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Ok(PgbackrestRecordings.Info(
            !stanza ? PgbackrestRecordings.NoStanza : backups > 0 ? PgbackrestRecordings.FullBackup : PgbackrestRecordings.NoBackup)));
        machine.Scripted.On(s => s.Arguments.Contains("stanza-create"), _ => { stanza = true; return ScriptedProcesses.Ok(); });
        machine.Scripted.On(s => s.FileName == "/pg/bin/pg-backup", _ => { backups++; return ScriptedProcesses.Ok(); });
        machine.Scripted.On(s => s.StandardInput == PgbackrestOnPrimary.RecoveryQuery, _ => ScriptedProcesses.Ok("f\n"));

        // pg_authid as the roles script leaves it: what each ALTER ROLE … PASSWORD sent, read back as JSON.
        var authid = new Dictionary<string, string>();
        machine.Scripted.On(s => s.StandardInput?.Contains("FROM pg_authid", StringComparison.Ordinal) == true,
            _ => ScriptedProcesses.Ok(System.Text.Json.JsonSerializer.Serialize(authid) + "\n"));
        machine.Scripted.On(s => s.StandardInput?.Contains("ALTER ROLE", StringComparison.Ordinal) == true, s =>
        {
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(s.StandardInput!, "ALTER ROLE \"([^\"]+)\" PASSWORD '([^']+)';"))
            {
                authid[m.Groups[1].Value] = m.Groups[2].Value;
            }

            return ScriptedProcesses.Ok();
        });
        var steps = new PgsqlModule(new FixedResources()).Plan(node).Steps;

        var first = await StepRunner.RunAsync(steps, context);
        var runs = machine.Scripted.Runs.Count;
        var second = await StepRunner.RunAsync(steps, context);

        // Every step changes the node once, except pg_crontab's: unset, with no timers of an earlier run, it has nothing to do.
        Assert.Equal(steps.Select(s => s.Id).Where(id => id != "pgsql.crontab"), first);
        Assert.Empty(second);
        Assert.Equal(1, backups);

        // The stanza's check waits for archiving to come out of the back-off its failures before the stanza left it in.
        var check = Assert.Single(machine.Scripted.Runs, r => r.Arguments.Contains("pgbackrest") && r.Arguments.Contains("check"));
        Assert.Equal(["--stanza=pg-meta", "check", "--archive-timeout=300"], check.Arguments.SkipWhile(a => a != "pgbackrest").Skip(1));
        // Each pgBackRest run waited for this node's PostgreSQL to be out of recovery, asked over the local socket, not Patroni's API.
        Assert.Equal(2, machine.Scripted.Runs.Count(r => r.StandardInput == PgbackrestOnPrimary.RecoveryQuery && r.Arguments.Contains("-At")));
        var psql = machine.Scripted.Runs.Where(r => r.Arguments.Contains("psql") && r.StandardInput != PgbackrestOnPrimary.RecoveryQuery).ToList();
        Assert.Equal(["pg_authid", "pg_authid", "roles", "databases", "pg_authid"],
            psql.Select(r => r.StandardInput!.Contains("FROM pg_authid", StringComparison.Ordinal) ? "pg_authid" : r.StandardInput!.Split('\n')[0].Split(' ')[1]));
        Assert.All(psql, r => Assert.Equal(["-u", "postgres", "--", "psql"], r.Arguments.Take(4)));
        // The databases script ran past psql's usual 10 minutes on a starved HA node (template1's extensions alone took 5).
        Assert.Equal(TimeSpan.FromMinutes(30), psql[3].Timeout);
        Assert.Equal(TimeSpan.FromMinutes(10), psql[2].Timeout);
        var admin = await node.Credentials.GetAsync("pg_admin_password", CancellationToken.None);
        Assert.DoesNotContain(admin, psql[2].StandardInput, StringComparison.Ordinal);
        Assert.True(ScramVerifier.Matches(authid["dbuser_dba"], admin));
        Assert.Contains(admin, psql[2].Secrets);
        Assert.Contains("mask postgresql.service", machine.FakeServices.Calls);
        Assert.Contains("mask pgbouncer.socket", machine.FakeServices.Calls);
        Assert.Contains("reload haproxy.service", machine.FakeServices.Calls);
        Assert.Contains("patroni.service http://10.10.10.10:8008/primary", machine.Probes);
        // A bootstrap on a starved node took more than 10 minutes in the HA boot test; the stanza runs while INFRA starts beside it.
        Assert.Equal(TimeSpan.FromMinutes(20), machine.WaitDeadlines["patroni.service http://10.10.10.10:8008/primary"]);
        Assert.Equal(TimeSpan.FromMinutes(25), machine.WaitDeadlines["patroni.service PostgreSQL of pg-meta-1 to run as the primary (pg_is_in_recovery() false on its local socket)"]);

        // pgbouncer, the exporters and HAProxy's service ports get the deadline every module's services get: pgbouncer_exporter took
        // over a minute to listen on a replica of the HA boot test.
        Assert.Equal(7, machine.PortDeadlines.Count);
        Assert.All(machine.PortDeadlines, p => Assert.Equal(CommonSteps.HealthDeadline, p.Value));
        Assert.Equal("create_main_cluster = false\n", File.ReadAllLines(Path.Join(_root.Path, "/etc/postgresql-common/createcluster.conf"))[1] + "\n");
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/haproxy/conf.d/pg-meta.cfg")));
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/pigsty/targets/patroni/pg-meta-1.yml")));
        // The second run only reads the stored verifiers and asks pgbackrest whether the stanza and a backup exist.
        Assert.Equal(runs + 3, machine.Scripted.Runs.Count);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public async Task The_stanza_check_runs_again_when_it_found_no_primary_while_this_node_leads_again(int notPrimary, bool passes)
    {
        var (step, machine, context) = StanzaStep();
        var checks = 0;
        machine.Scripted.On(s => s.Arguments.Contains("check"), _ => ++checks <= notPrimary
            ? ScriptedProcesses.Fail(PgbackrestOnPrimary.PrimaryNotFound, "WARN: unable to check pg1: [ServiceError] NULL result required to complete request\nERROR: [056]: unable to find primary cluster - cannot proceed")
            : ScriptedProcesses.Ok());

        var run = StepRunner.RunAsync(step, context);
        var error = passes ? null : await Assert.ThrowsAsync<InstallException>(() => run);
        if (passes)
        {
            Assert.True(await run);
        }

        // Every run of stanza-create and check first waits for this node's PostgreSQL to be out of recovery; a check that found no primary runs again, three
        // times at most, and each repeat of a step that passes leaves a note.
        Assert.Equal(Math.Min(notPrimary + 1, PgbackrestOnPrimary.Attempts), checks);
        Assert.Equal(1 + checks, machine.Probes.Count(p => p == "patroni.service PostgreSQL of pg-meta-1 to run as the primary (pg_is_in_recovery() false on its local socket)"));
        Assert.Equal(passes ? notPrimary : 0, context.Trace.Notes.Count(n => n.StartsWith("pgbackrest check, run ", StringComparison.Ordinal) && n.Contains(": pg-meta-1 was not the primary (pgBackRest [056]); waiting for PostgreSQL to run as the primary again", StringComparison.Ordinal)));
        if (error is not null)
        {
            Assert.Equal("pgsql.backup.stanza", error.Step);
            Assert.Contains("unable to find primary cluster", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_pgbackrest_command_runs_while_this_node_s_postgresql_is_in_recovery()
    {
        var (step, machine, context) = StanzaStep(inRecovery: true);

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, context));

        // The fake machine asks once where a real one would keep asking until the deadline.
        Assert.Contains("PostgreSQL of pg-meta-1 to run as the primary", error.Reason, StringComparison.Ordinal);
        Assert.Contains("pg_is_in_recovery() is 't'", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(machine.Scripted.Runs, r => r.Arguments.Contains("stanza-create") || r.Arguments.Contains("check"));
        // A backend start on a starved node takes more than the probe's per-attempt 30 s: each query has two minutes of its own.
        var query = Assert.Single(machine.Scripted.Runs, r => r.StandardInput == PgbackrestOnPrimary.RecoveryQuery);
        Assert.Equal(TimeSpan.FromMinutes(2), query.Timeout);
    }

    [Fact]
    public async Task Stanza_create_waits_for_a_held_archive_lock_to_be_free_and_runs_again()
    {
        var (step, machine, context) = StanzaStep();
        var creates = 0;
        machine.Scripted.On(s => s.Arguments.Contains("stanza-create"), _ => ++creates == 1
            ? ScriptedProcesses.Fail(PgbackrestOnPrimary.LockHeld, "ERROR: [050]: unable to acquire lock on file '/tmp/pgbackrest/pg-meta-archive.lock': Resource temporarily unavailable\n       HINT: is another pgBackRest process running?")
            : ScriptedProcesses.Ok());

        Assert.True(await StepRunner.RunAsync(step, context));

        // The asynchronous archive-push of the archiver held the lock (nocloud boot test): the second run waits until flock can take it.
        Assert.Equal(2, creates);
        Assert.Contains("pgbackrest runuser -u postgres -- flock --nonblock /tmp/pgbackrest/pg-meta-archive.lock true", machine.Probes);
        Assert.Contains(context.Trace.Notes, n => n == "pgbackrest stanza-create, run 1: another pgBackRest process held /tmp/pgbackrest/pg-meta-archive.lock (pgBackRest [050]); waiting until it is free");
    }

    [Theory]
    [InlineData("ERROR: [050]: unable to acquire lock on file '/tmp/pgbackrest/pg-meta-backup.lock': Resource temporarily unavailable", "/tmp/pgbackrest/pg-meta-backup.lock")]
    [InlineData("ERROR: [050]: unable to acquire lock on file '/tmp/pgbackrest/pg-meta-backup.lock", null)]
    [InlineData("ERROR: [050]: some other lock problem", null)]
    public void The_held_lock_file_is_read_from_pgbackrest_s_message(string stderr, string? file) =>
        Assert.Equal(file, PgbackrestOnPrimary.LockFile(stderr));

    [Fact]
    public async Task A_stanza_check_that_fails_for_another_reason_is_not_repeated()
    {
        var (step, machine, context) = StanzaStep();
        machine.Scripted.On(s => s.Arguments.Contains("check"), _ => ScriptedProcesses.Fail(1, "ERROR: [028]: backup and archive info files exist but do not match the database"));

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, context));

        Assert.Single(machine.Scripted.Runs, r => r.Arguments.Contains("check"));
        Assert.Contains("[028]", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(1, 2, true)]
    [InlineData(1, PgbackrestOnPrimary.ArchiveAttempts, false)]
    public async Task A_stanza_check_runs_again_while_wal_archiving_is_behind_but_moving(int archivedPerCheck, int checks, bool passes)
    {
        // HA boot test: five segments written before the stanza existed were queued ahead of the check's own, 35-85 s per push.
        var (step, machine, context) = StanzaStep();
        var status = Path.Join(_root.Path, "pg/data/pg_wal/archive_status");
        Directory.CreateDirectory(status);
        File.WriteAllText(Path.Join(status, "000000010000000000000001.done"), "");
        var runs = 0;
        machine.Scripted.On(s => s.Arguments.Contains("check"), _ =>
        {
            runs++;
            for (var i = 0; i < archivedPerCheck; i++)
            {
                // The archiver marks what it pushed while the check waits; a checkpoint may drop an old mark meanwhile.
                File.WriteAllText(Path.Join(status, $"0000000100000000000000{runs + 1:x2}.done"), "");
                File.Delete(Path.Join(status, "000000010000000000000001.done"));
            }

            return runs < checks || !passes
                ? ScriptedProcesses.Fail(PgbackrestOnPrimary.ArchiveTimeout, "ERROR: [082]: WAL segment 000000010000000000000009 was not archived before the 300000ms timeout")
                : ScriptedProcesses.Ok();
        });

        var run = StepRunner.RunAsync(step, context);
        if (passes)
        {
            Assert.True(await run);
        }
        else
        {
            Assert.Contains("[082]", (await Assert.ThrowsAsync<InstallException>(() => run)).Reason, StringComparison.Ordinal);
        }

        // A check whose archiver marked nothing new while it waited is not repeated; one that moved is, six runs at most, and each
        // repeat of a step that passes leaves a note.
        Assert.Equal(checks, machine.Scripted.Runs.Count(r => r.Arguments.Contains("check")));
        Assert.Equal(passes ? checks - 1 : 0, context.Trace.Notes.Count(n => n.StartsWith("pgbackrest check, run ", StringComparison.Ordinal)
            && n.Contains("WAL archiving is behind but moving (1 segment(s) archived while the check waited", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_initial_backup_gives_its_stop_segment_longer_to_be_archived_than_pgbackrests_default()
    {
        var machine = new FakeMachine(_root.Path);
        var node = PgsqlFixture.Node(_root, "single-node.yml", "10.10.10.10");
        var backedUp = false;
        machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Ok(PgbackrestRecordings.Info(backedUp ? PgbackrestRecordings.FullBackup : PgbackrestRecordings.NoBackup)));
        machine.Scripted.On(s => s.FileName == Pigsty.Appliance.Installer.Modules.Pgsql.Renderers.PgsqlUnits.BackupScriptPath, _ => { backedUp = true; return ScriptedProcesses.Ok(); });
        var step = Assert.Single(new PgsqlModule(new FixedResources()).Plan(node).Steps, s => s.Id == "pgsql.backup.initial");

        Assert.True(await StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));

        // pgBackRest reads PGBACKREST_ARCHIVE_TIMEOUT as --archive-timeout; pg-backup keeps the environment through runuser.
        var backup = Assert.Single(machine.Scripted.Runs, r => r.FileName == Pigsty.Appliance.Installer.Modules.Pgsql.Renderers.PgsqlUnits.BackupScriptPath);
        Assert.Equal(["full"], backup.Arguments);
        Assert.Equal("900", backup.Environment["PGBACKREST_ARCHIVE_TIMEOUT"]);
    }

    private (Step Step, FakeMachine Machine, StepContext Context) StanzaStep(bool inRecovery = false)
    {
        var machine = new FakeMachine(_root.Path);
        var node = PgsqlFixture.Node(_root, "single-node.yml", "10.10.10.10");
        var stanza = false;
        machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Ok(PgbackrestRecordings.Info(stanza ? PgbackrestRecordings.NoBackup : PgbackrestRecordings.NoStanza)));
        machine.Scripted.On(s => s.Arguments.Contains("stanza-create"), _ => { stanza = true; return ScriptedProcesses.Ok(); });
        machine.Scripted.On(s => s.StandardInput == PgbackrestOnPrimary.RecoveryQuery, _ => ScriptedProcesses.Ok(inRecovery ? "t\n" : "f\n"));
        var step = Assert.Single(new PgsqlModule(new FixedResources()).Plan(node).Steps, s => s.Id == "pgsql.backup.stanza");
        return (step, machine, ModuleNodes.Context(node, machine));
    }
}

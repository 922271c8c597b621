using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Exporters;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>The rendered files checked by the tools that read them: haproxy, patroni, pgbackrest and a real PostgreSQL 15.</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class PgsqlRealToolsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Task<ProcessResult> Run(string tool, params string[] arguments) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments) with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);

    [Theory]
    [InlineData("single-node.yml", "10.10.10.10")]
    [InlineData("three-node-ha.yml", "10.10.10.11")]
    public async Task Haproxy_accepts_the_service_file(string sample, string address)
    {
        var settings = PgsqlFixture.Settings(sample, address);
        var defaults = _temp.Write("haproxy.cfg", "global\n    maxconn 1000\ndefaults\n    mode tcp\n    timeout connect 3s\n    timeout client 1h\n    timeout server 1h\n");
        var services = _temp.Write("pg.cfg", HaproxyRenderer.Render(settings));

        var check = await Run("haproxy", "-c", "-f", defaults, "-f", services);

        Assert.True(check.Succeeded, check.StandardOutput + check.StandardError);
    }

    [Theory]
    [InlineData("single-node.yml", "10.10.10.10")]
    [InlineData("three-node-ha.yml", "10.10.10.12")]
    public async Task Patroni_validates_its_configuration(string sample, string address)
    {
        var path = _temp.Write("patroni.yml", PatroniRenderer.Render(PgsqlFixture.Settings(sample, address), PgsqlFixture.Secrets));

        var check = await Run("patroni", "--validate-config", path);

        Assert.True(check.Succeeded, check.StandardOutput + check.StandardError);
    }

    [Fact]
    public async Task Pgbackrest_parses_the_configuration()
    {
        var settings = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        var path = _temp.Write("pgbackrest.conf", PgbackrestRenderer.Render(settings, [("path", _temp.File("repo")), ("retention_full", "2")]));

        var info = await Run("pgbackrest", $"--config={path}", "--stanza=pg-meta", "--log-level-file=off", "info");

        Assert.True(info.Succeeded, info.StandardOutput + info.StandardError);
        Assert.Contains("stanza: pg-meta", info.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_pgbackrest_prints_the_recorded_json_for_a_stanza_not_created_yet()
    {
        var settings = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);
        var repo = Directory.CreateDirectory(_temp.File("repo")).FullName;
        var locks = Directory.CreateDirectory(_temp.File("lock")).FullName;
        Assert.True((await Run("chown", "postgres:postgres", repo, locks)).Succeeded);
        var config = _temp.Write("pgbackrest.conf", $"[global]\nrepo1-path={repo}\nlock-path={locks}\nlog-level-file=off\n\n[pg-meta]\npg1-path={_temp.File("data")}\n");

        // The command the PGSQL steps run, as the dbsu; only the configuration file is moved (pgBackRest reads PGBACKREST_CONFIG).
        var info = await ProcessRunner.Silent.RunAsync(PgsqlCommands.Pgbackrest(settings, "--output=json", "info") with
        {
            Environment = new Dictionary<string, string?> { ["PGBACKREST_CONFIG"] = config },
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None);

        Assert.Equal(PgbackrestRecordings.Info(PgbackrestRecordings.NoStanza), info.StandardOutput);
    }

    [Fact]
    public async Task Systemd_accepts_the_units_of_debian_components()
    {
        var settings = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        await UnitCheck.VerifyAsync(_temp, PgsqlUnits.Patroni(settings), PgsqlUnits.Pgbouncer(settings), PgsqlUnits.PostgresExporter(settings));
    }

    [Fact]
    public async Task Systemd_accepts_the_units_of_our_exporter_and_the_backup_script()
    {
        var settings = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");

        // The image places pigsty-appliance at the contract's path (ApplianceFilesTests); the backup unit runs the rendered script.
        await UnitCheck.VerifyInRootAsync(_temp, new Dictionary<string, string>
        {
            [Core.Contract.NodeLayout.Installer] = "#!/bin/sh\n",
            [PgsqlUnits.BackupScriptPath] = PgsqlUnits.BackupScript(settings),
        }, PgsqlUnits.PgbouncerExporter(settings), PgsqlUnits.BackupService(settings), PgsqlUnits.BackupTimer(settings));
    }

    [Fact]
    public async Task Pgbouncer_admits_the_dbsu_to_its_admin_console_by_peer_and_nobody_else()
    {
        var settings = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        var directory = _temp.File("pgbouncer");
        Directory.CreateDirectory(directory);
        string Local(string text) => text.Replace(PgsqlSettings.PgbouncerDir + "/", directory + "/", StringComparison.Ordinal)
            .Replace(PgsqlSettings.SocketDir, directory, StringComparison.Ordinal)
            .Replace("/pg/log/pgbouncer/", directory + "/", StringComparison.Ordinal)
            .Replace("listen_addr                 = *", "listen_addr                 = 127.0.0.1", StringComparison.Ordinal);
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ini = Local(PgbouncerRenderer.Ini(settings)).Replace("= 6432", $"= {port}", StringComparison.Ordinal) + $"pidfile = {directory}/pgbouncer.pid\n";
        // The exporter runs in this test's process, as root: root may read the statistics by peer here, as the dbsu does on a node.
        const string RootToo = "\nlocal pgbouncer root peer\n";
        ini = ini.Replace($"stats_users                 = {settings.Dbsu}", $"stats_users                 = root, {settings.Dbsu}", StringComparison.Ordinal);
        Assert.Contains("stats_users                 = root,", ini, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(directory, "pgbouncer.ini"), ini);
        File.WriteAllText(Path.Combine(directory, "database.txt"), Local(PgbouncerRenderer.Databases(settings)));
        File.WriteAllText(Path.Combine(directory, "useropts.txt"), PgbouncerRenderer.UserOptions(settings));
        File.WriteAllText(Path.Combine(directory, "pgb_hba.conf"), RootToo + Local(HbaRenderer.PgbouncerFile(settings)));
        File.WriteAllText(Path.Combine(directory, "userlist.txt"), "\"root\" \"\"\n" + PgbouncerRenderer.UserList(settings, PgsqlFixture.Secrets));
        await Run("chown", "-R", "postgres:postgres", _temp.Path);
        await Run("chmod", "0755", _temp.Path, directory); // other OS users must reach the socket to be refused by pgbouncer itself

        var start = await Run("runuser", "-u", "postgres", "--", RealTool.Require("pgbouncer"), "-d", Path.Combine(directory, "pgbouncer.ini"));
        Assert.True(start.Succeeded, start.StandardError);
        var pidfile = Path.Combine(directory, "pgbouncer.pid");
        for (var wait = 0; wait < 50 && !File.Exists(pidfile); wait++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(pidfile), "pgbouncer did not start: " + File.ReadAllText(Path.Combine(directory, "pgbouncer.log")));
        try
        {
            var dbsu = await Run("runuser", "-u", "postgres", "--", RealTool.Require("psql"), "-h", directory, "-p", port, "-U", "postgres", "-d", "pgbouncer", "-tAc", "SHOW VERSION");
            var other = await Run("runuser", "-u", "nobody", "--", RealTool.Require("psql"), "-h", directory, "-p", port, "-U", "postgres", "-d", "pgbouncer", "-tAc", "SHOW VERSION");

            Assert.True(dbsu.Succeeded, dbsu.StandardError);
            Assert.StartsWith("PgBouncer 1.", dbsu.StandardOutput, StringComparison.Ordinal);
            Assert.True(other.StandardError.Contains("unix socket login rejected", StringComparison.Ordinal), other.StandardError);

            // Our exporter speaks the console's protocol itself; every SHOW must come back as metrics.
            var exporter = new PgbouncerExporter(Microsoft.Extensions.Logging.Abstractions.NullLogger<PgbouncerExporter>.Instance);
            var metrics = await exporter.ScrapeAsync(directory, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), "root", CancellationToken.None);
            Assert.Contains("pgbouncer_up 1\n", metrics, StringComparison.Ordinal);
            Assert.Contains("pgbouncer_pools_cl_active{database=\"pgbouncer\",user=\"pgbouncer\"", metrics, StringComparison.Ordinal);
            Assert.Contains("pgbouncer_databases_pool_size{", metrics, StringComparison.Ordinal);

            // A user pgbouncer's rules do not admit gets the console's own refusal, by name.
            var refused = await Assert.ThrowsAsync<IOException>(() => PgbouncerConsole.QueryAsync(
                PgbouncerConsole.SocketPath(directory, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)), "postgres", ["SHOW STATS"], CancellationToken.None));
            Assert.Contains("pgbouncer's console:", refused.Message, StringComparison.Ordinal);
            Assert.Contains("pgbouncer_stats_total_xact_count{database=\"pgbouncer\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("pgbouncer_lists_items{list=\"databases\"}", metrics, StringComparison.Ordinal);

            // And it is Prometheus text a real parser accepts: node_exporter's textfile collector reads it without an error.
            var textfiles = Directory.CreateDirectory(_temp.File("textfiles")).FullName;
            await File.WriteAllTextAsync(Path.Combine(textfiles, "pgbouncer.prom"), metrics);
            var scrape = await TextfileCollector.ScrapeAsync(textfiles, CancellationToken.None);
            Assert.True(scrape.Parsed, scrape.Log);
            Assert.Equal(1, scrape.Value("pgbouncer_up"));
        }
        finally
        {
            await Run("kill", File.ReadAllText(pidfile).Trim());
        }
    }

    [Fact]
    public async Task PostgreSQL_15_accepts_the_parameters_and_hba_and_the_sql_runs_twice()
    {
        const string OldUser = "roles: [dbrole_admin] }\n          - { name: dbuser_old, password: Old.Secret }\n";
        var port = FreePort.Next();
        var (node, settings) = RealServerNode(port, i => i.Replace("roles: [dbrole_admin] }\n", OldUser, StringComparison.Ordinal));
        await using var server = await RealPostgres.StartAsync(_temp, settings);
        var context = RealServerContext(node);
        var steps = new PgsqlModule(Resources).Plan(node).Steps;
        var roles = steps.Single(s => s.Id == "pgsql.roles");
        var databases = steps.Single(s => s.Id == "pgsql.databases");

        Assert.Equal(["pgsql.roles", "pgsql.databases"], await StepRunner.RunAsync([roles, databases], context));
        Assert.Empty(await StepRunner.RunAsync([roles, databases], context));

        // Without their markers (a crash right after the scripts ran) both run again, cleanly; the roles script is the same
        // one, byte for byte: the stored verifiers still match the passwords and are sent again, so no run churns the salts.
        var marker = Path.Join(_temp.File("root"), NodeLayout.StepJournal, "pgsql.roles.sha256");
        var first = await File.ReadAllTextAsync(marker);
        File.Delete(marker);
        File.Delete(Path.Join(_temp.File("root"), NodeLayout.StepJournal, "pgsql.databases.sha256"));
        Assert.Equal(["pgsql.roles", "pgsql.databases"], await StepRunner.RunAsync([roles, databases], context));
        Assert.Equal(first, await File.ReadAllTextAsync(marker));

        var check = await ProcessRunner.Silent.RunAsync(PgsqlCommands.Psql(settings, """
            \pset tuples_only on
            \pset format unaligned
            SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'db%' OR rolname = 'replicator';
            SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'meta';
            SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'dbuser_dba';
            SELECT current_setting('shared_buffers'), current_setting('max_connections'), current_setting('ssl');
            \c meta
            SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements';
            """, []), CancellationToken.None);
        Assert.Equal("""
            dbrole_admin,dbrole_offline,dbrole_readonly,dbrole_readwrite,dbuser_dba,dbuser_meta,dbuser_monitor,dbuser_old,replicator
            dbuser_meta
            t
            256MB|100|on
            pg_stat_statements

            """, check.StandardOutput);

        // state: absent drops the role as pg-drop-role does: what it owns goes to the dbsu, then the role goes; twice is harmless.
        await ProcessRunner.Silent.RunAsync(PgsqlCommands.Psql(settings, "CREATE TABLE public.old_table (id int);\nALTER TABLE public.old_table OWNER TO dbuser_old;\n", [], "meta"),
            CancellationToken.None);
        var (droppingNode, dropping) = RealServerNode(port, i => i.Replace("roles: [dbrole_admin] }\n", OldUser.Replace("password: Old.Secret", "state: absent", StringComparison.Ordinal), StringComparison.Ordinal));
        var droppingSteps = new PgsqlModule(Resources).Plan(droppingNode).Steps.Where(s => s.Id is "pgsql.roles" or "pgsql.drop" or "pgsql.databases").ToList();
        Assert.DoesNotContain("dbuser_old", droppingSteps[0].Title, StringComparison.Ordinal);
        // Dropping a role leaves the databases script as it was: that step has nothing to do again.
        Assert.Equal(["pgsql.roles", "pgsql.drop"], await StepRunner.RunAsync(droppingSteps, RealServerContext(droppingNode)));
        await PgsqlDrops.ApplyAsync(ProcessRunner.Silent, dropping, CancellationToken.None);
        var dropped = await ProcessRunner.Silent.RunAsync(PgsqlCommands.Psql(settings, """
            \pset tuples_only on
            \pset format unaligned
            SELECT count(*) FROM pg_roles WHERE rolname = 'dbuser_old';
            \c meta
            SELECT tableowner FROM pg_tables WHERE tablename = 'old_table';
            """, []), CancellationToken.None);
        Assert.Equal("0\npostgres\n", dropped.StandardOutput);
    }

    [Fact]
    public async Task Passwords_never_reach_PostgreSQL_only_scram_verifiers_that_let_each_user_log_in()
    {
        var (node, settings) = RealServerNode();
        await using var server = await RealPostgres.StartAsync(_temp, settings);
        var context = RealServerContext(node);
        var steps = new PgsqlModule(Resources).Plan(node).Steps;
        await StepRunner.RunAsync(steps.Where(s => s.Id is "pgsql.roles" or "pgsql.databases"), context);
        var credentials = node.Credentials;
        var passwords = new Dictionary<string, string>
        {
            ["replicator"] = await credentials.GetAsync(PgsqlSettings.ReplicationPasswordName, CancellationToken.None),
            ["dbuser_dba"] = await credentials.GetAsync(PgsqlSettings.AdminPasswordName, CancellationToken.None),
            ["dbuser_monitor"] = await credentials.GetAsync(PgsqlSettings.MonitorPasswordName, CancellationToken.None),
            ["dbuser_meta"] = "s3cret-from-seed",
        };

        // Utility statements are tracked and DDL is logged on this server: the checks below can see a leak. pg_stat_statements is in
        // the monitor schema, as Pigsty's pg_default_extensions put it in template1.
        await ProcessRunner.Silent.RunAsync(PgsqlCommands.Psql(settings, "CREATE TABLE leak_probe (id int);\n", []), CancellationToken.None);
        var statements = await ProcessRunner.Silent.RunAsync(PgsqlCommands.Psql(settings,
            "\\pset tuples_only on\n\\pset format unaligned\n\\c meta\nSELECT query FROM monitor.pg_stat_statements;\n", []), CancellationToken.None);
        Assert.Contains("CREATE TABLE leak_probe", statements.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(server.LogLines(), l => l.Contains("CREATE TABLE leak_probe", StringComparison.Ordinal));

        foreach (var (user, password) in passwords)
        {
            Assert.DoesNotContain(password, statements.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(server.LogLines(), l => l.Contains(password, StringComparison.Ordinal));
            var login = await LoginAsync(settings, user, password);
            Assert.True(login.Succeeded, $"{user}: {login.StandardError}");
            Assert.Matches(user == settings.ReplicationUser ? @"^[0-9]+\|1\|" : $"^{user}\n", login.StandardOutput); // IDENTIFY_SYSTEM: systemid|timeline|…
        }

        var wrong = await LoginAsync(settings, "dbuser_monitor", "not-" + passwords["dbuser_monitor"]);
        Assert.Contains("password authentication failed", wrong.StandardError, StringComparison.Ordinal);

        // A verifier the server computed itself (as for the replicator Patroni creates at bootstrap) is recognised by ours.
        var made = await ProcessRunner.Silent.RunAsync(PgsqlCommands.Psql(settings,
            "SET password_encryption = 'scram-sha-256';\nCREATE ROLE server_made PASSWORD 'pencil';\n\\pset tuples_only on\n\\pset format unaligned\n"
            + "SELECT rolpassword FROM pg_authid WHERE rolname = 'server_made';\n", []), CancellationToken.None);
        Assert.True(ScramVerifier.Matches(made.StandardOutput.Trim(), "pencil"), made.StandardOutput);
        Assert.False(ScramVerifier.Matches(made.StandardOutput.Trim(), "pencil2"));
    }

    private static readonly FixedResources Resources = new(2, 1024, 20L << 30);

    /// <summary>The single-node primary on <paramref name="port"/> (else a free port), its inventory changed by <paramref name="edit"/>, with files under the test directory.</summary>
    private (Installer.Node.NodeContext Node, PgsqlSettings Settings) RealServerNode(int? port = null, Func<string, string>? edit = null)
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pg_conf: tiny", $"pg_conf: tiny\n        pg_port: {port ?? FreePort.Next()}", StringComparison.Ordinal);
        inventory = edit?.Invoke(inventory) ?? inventory;
        var node = ModuleNodes.Create(_temp.File("root"), inventory, "10.10.10.10");
        return (node, PgsqlSettings.From(node, Resources));
    }

    private StepContext RealServerContext(Installer.Node.NodeContext node) =>
        ModuleNodes.Context(node, new RealProcessMachine(new Fakes.FakeMachine(_temp.File("root")), ProcessRunner.Silent));

    /// <summary>psql over TCP with a password (scram-sha-256 in pg_hba.conf; SSL where the rule says hostssl), printing the session user.</summary>
    private static Task<ProcessResult> LoginAsync(PgsqlSettings settings, string user, string password)
    {
        var replication = user == settings.ReplicationUser;
        var port = settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProcessRunner.Silent.RunAsync(RealTool.Spec("psql", "-X", "-tA",
            $"host=127.0.0.1 port={port} dbname=postgres user={user} sslmode=require{(replication ? " replication=true" : "")}",
            "-c", replication ? "IDENTIFY_SYSTEM" : "SELECT session_user") with
        {
            Environment = new Dictionary<string, string?> { ["PGPASSWORD"] = password },
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None);
    }
}

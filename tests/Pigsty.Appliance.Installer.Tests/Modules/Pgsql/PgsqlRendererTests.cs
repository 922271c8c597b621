using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using System.Globalization;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

public sealed class PgsqlRendererTests
{
    /// <summary>What the server holds after a first run: each fixture password's verifier (zero salt, so the golden file is stable).</summary>
    private static readonly IReadOnlyDictionary<string, string?> StoredVerifiers = new Dictionary<string, string?>
    {
        ["replicator"] = ScramVerifier.Create("Repl.Secret", new byte[16], ScramVerifier.Iterations),
        ["dbuser_dba"] = ScramVerifier.Create("Admin.Secret", new byte[16], ScramVerifier.Iterations),
        ["dbuser_monitor"] = ScramVerifier.Create("Monitor.Secret", new byte[16], ScramVerifier.Iterations),
        ["dbuser_meta"] = ScramVerifier.Create("s3cret-from-seed", new byte[16], ScramVerifier.Iterations),
    };

    [Fact]
    public void The_roles_script_carries_verifiers_never_passwords_and_reuses_those_that_still_match()
    {
        var s = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        var changed = PgsqlFixture.Secrets with { Admin = "New.Admin.Secret" };

        var verifiers = RolePasswords.Verifiers(s, changed, StoredVerifiers);
        var script = SqlRenderer.Roles(s, verifiers);

        Assert.Equal(StoredVerifiers["dbuser_monitor"], verifiers["dbuser_monitor"]);
        Assert.NotEqual(StoredVerifiers["dbuser_dba"], verifiers["dbuser_dba"]);
        Assert.True(ScramVerifier.Matches(verifiers["dbuser_dba"], "New.Admin.Secret"));
        Assert.False(verifiers.ContainsKey("postgres"));
        foreach (var password in changed.All.Append("s3cret-from-seed"))
        {
            Assert.DoesNotContain(password, script, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => SqlRenderer.Roles(s, new Dictionary<string, string> { ["dbuser_dba"] = "plain" }));
    }

    [Fact]
    public void A_verifier_given_as_the_password_is_sent_as_given_and_non_ascii_text_must_be_one()
    {
        var given = ScramVerifier.Create("elsewhere");
        var asVerifier = PgsqlFixture.Settings(ModuleNodes.Sample("single-node.yml").Replace("s3cret-from-seed", given, StringComparison.Ordinal), "10.10.10.10");
        var nonAscii = PgsqlFixture.Settings(ModuleNodes.Sample("single-node.yml").Replace("s3cret-from-seed", "pässwort", StringComparison.Ordinal), "10.10.10.10");

        Assert.Equal(given, RolePasswords.Verifiers(asVerifier, PgsqlFixture.Secrets, new Dictionary<string, string?>())["dbuser_meta"]);
        var error = Assert.Throws<Core.Errors.InstallException>(() => RolePasswords.Verifiers(nonAscii, PgsqlFixture.Secrets, new Dictionary<string, string?>()));
        Assert.Contains("dbuser_meta is not plain ASCII", error.Message, StringComparison.Ordinal);
    }

    private static readonly IReadOnlyList<(string, string)> LocalRepo = [("path", "/pg/backup"), ("retention_full_type", "count"), ("retention_full", "2")];

    [Fact]
    public void Single_node_primary_files_match_golden_files()
    {
        var s = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        var secrets = PgsqlFixture.Secrets;

        Golden.Assert(PatroniRenderer.Render(s, secrets), "Modules/Pgsql/Golden/single/patroni.yml");
        Golden.Assert(HbaRenderer.PostgresFile(s), "Modules/Pgsql/Golden/single/pg_hba.conf");
        Golden.Assert(PgbouncerRenderer.Ini(s), "Modules/Pgsql/Golden/single/pgbouncer.ini");
        Golden.Assert(PgbouncerRenderer.Databases(s), "Modules/Pgsql/Golden/single/database.txt");
        Golden.Assert(PgbouncerRenderer.UserOptions(s), "Modules/Pgsql/Golden/single/useropts.txt");
        Golden.Assert(PgbouncerRenderer.UserList(s, secrets), "Modules/Pgsql/Golden/single/userlist.txt");
        Golden.Assert(HbaRenderer.PgbouncerFile(s), "Modules/Pgsql/Golden/single/pgb_hba.conf");
        Golden.Assert(HaproxyRenderer.Render(s), "Modules/Pgsql/Golden/single/pg-meta.cfg");
        Golden.Assert(PgbackrestRenderer.Render(s, LocalRepo), "Modules/Pgsql/Golden/single/pgbackrest.conf");
        Golden.Assert(SqlRenderer.Roles(s, RolePasswords.Verifiers(s, secrets, StoredVerifiers)), "Modules/Pgsql/Golden/single/roles.sql");
        Golden.Assert(SqlRenderer.Databases(s), "Modules/Pgsql/Golden/single/databases.sql");
        Golden.Assert(PgsqlUnits.ExporterEnvironment(s, secrets), "Modules/Pgsql/Golden/single/pg_exporter.env");
        Golden.Assert(PgsqlUnits.BackupScript(s), "Modules/Pgsql/Golden/single/pg-backup");
        foreach (var unit in new[] { PgsqlUnits.Patroni(s), PgsqlUnits.Pgbouncer(s), PgsqlUnits.PostgresExporter(s), PgsqlUnits.PgbouncerExporter(s),
            PgsqlUnits.BackupService(s), PgsqlUnits.BackupTimer(s) })
        {
            Golden.Assert(unit.Render(), $"Modules/Pgsql/Golden/single/{unit.Name}");
        }
    }

    [Fact]
    public void No_unit_asks_for_more_open_files_than_the_nodes_nr_open()
    {
        var s = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        var sysctl = KernelTuning.RenderSysctl("oltp", 0, KernelTuning.DefaultExtra);
        var nrOpen = sysctl.Split('\n').Where(l => l.StartsWith("fs.nr_open = ", StringComparison.Ordinal)).Select(l => long.Parse(l[13..], CultureInfo.InvariantCulture)).Distinct().Single();

        var limits = new[] { PgsqlUnits.Patroni(s), PgsqlUnits.Pgbouncer(s), PgsqlUnits.PostgresExporter(s), PgsqlUnits.PgbouncerExporter(s) }
            .SelectMany(u => u.Render().Split('\n').Where(l => l.StartsWith("LimitNOFILE=", StringComparison.Ordinal)).Select(l => (u.Name, Limit: l["LimitNOFILE=".Length..])))
            .ToList();

        Assert.Contains(limits, l => l.Name == "patroni.service");
        Assert.All(limits, l => Assert.True(long.Parse(l.Limit, CultureInfo.InvariantCulture) <= nrOpen, $"{l.Name}: LimitNOFILE={l.Limit} > fs.nr_open {nrOpen}"));
    }

    [Fact]
    public void Exporters_listen_on_the_node_address_only()
    {
        var s = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");

        Assert.Contains(" --web.listen-address=10.10.10.10:9630 ", PgsqlUnits.PostgresExporter(s).Render(), StringComparison.Ordinal);
        Assert.Contains(" --listen http://10.10.10.10:9631/ ", PgsqlUnits.PgbouncerExporter(s).Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Three_node_replica_and_offline_files_match_golden_files()
    {
        var replica = PgsqlFixture.Settings("three-node-ha.yml", "10.10.10.11");
        var offline = PgsqlFixture.Settings("three-node-ha.yml", "10.10.10.12");

        Golden.Assert(PatroniRenderer.Render(replica, PgsqlFixture.Secrets), "Modules/Pgsql/Golden/three/patroni-pg-meta-2.yml");
        Golden.Assert(PatroniRenderer.Render(offline, PgsqlFixture.Secrets), "Modules/Pgsql/Golden/three/patroni-pg-meta-3.yml");
        Golden.Assert(HaproxyRenderer.Render(replica), "Modules/Pgsql/Golden/three/pg-meta.cfg");
        Golden.Assert(HbaRenderer.PostgresFile(offline), "Modules/Pgsql/Golden/three/pg_hba-pg-meta-3.conf");
        Assert.Equal(HaproxyRenderer.Render(replica), HaproxyRenderer.Render(offline));
    }

    [Fact]
    public void Minio_repository_renders_s3_options_with_secrets_resolved()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pgbackrest_method: local", """
            pgbackrest_method: minio
                pgbackrest_repo: { minio: { s3_endpoint: sss.pigsty, retention_full: 7 } }
            """, StringComparison.Ordinal);
        var s = PgsqlFixture.Settings(inventory, "10.10.10.10");
        var resolved = s.Backup.Options.Select(o => (o.Key, o.Secret is null ? o.Value : $"<{o.Secret}>")).ToList();

        Golden.Assert(PgbackrestRenderer.Render(s, resolved), "Modules/Pgsql/Golden/minio/pgbackrest.conf");
        Assert.Null(s.Backup.LocalPath);
        Assert.Equal("7", s.Backup.Options.Single(o => o.Key == "retention_full").Value);
    }

    [Theory]
    [InlineData("oltp", 8, 32768, 200, 8192, 2048, 64, 0, 200)]
    [InlineData("olap", 8, 32768, 100, 8192, 4096, 81, 4, 200)]
    [InlineData("crit", 8, 32768, 200, 8192, 2048, 64, 0, 200)]
    [InlineData("tiny", 1, 1024, 100, 256, 64, 16, 0, 100)]
    public void Pg_conf_profiles_compute_from_the_node(string profile, int cpus, long memory, int maxConnections, long shared,
        long maintenance, long workMem, int perGather, int locks)
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pg_conf: tiny", $"pg_conf: {profile}.yml", StringComparison.Ordinal);
        var t = PgsqlFixture.Settings(inventory, "10.10.10.10", new FixedResources(cpus, memory, 100L << 30)).Tuning;

        Assert.Equal((maxConnections, shared, maintenance, workMem, perGather), (t.MaxConnections, t.SharedBuffersMb, t.MaintenanceWorkMemMb, t.WorkMemMb, t.MaxParallelWorkersPerGather));
        Assert.Equal(locks, t.MaxLocksPerTransaction);
        Assert.Equal(5, t.DiskTwentiethGb);
        Assert.Equal(profile == "crit", t.SynchronousMode && t.DataChecksums);
    }

    [Fact]
    public void Pg_parameters_override_the_profile_and_bad_aliases_name_their_field()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pg_conf: tiny", """
            pg_conf: tiny
                    pg_parameters: { work_mem: 99MB, max_connections: 321, jit: 'off' }
                    pg_hba_rules:
                      - { user: dbuser_meta, db: meta, addr: cluster, auth: pwd, title: 'meta from the cluster' }
                      - { user: all, db: all, addr: 10.1.0.0/16, auth: deny, role: replica }
            """, StringComparison.Ordinal);
        var s = PgsqlFixture.Settings(inventory, "10.10.10.10");

        Assert.Contains(("work_mem", "99MB"), PgParameters.Local(s));
        Assert.Contains(("jit", "off"), PgParameters.Local(s));
        Assert.Contains(("max_connections", "321"), PgParameters.ClusterWide(s));
        Assert.DoesNotContain(PgParameters.Local(s), p => p.Name == "max_connections");
        var hba = HbaRenderer.PostgresLines(s);
        Assert.Contains("host     meta               dbuser_meta        10.10.10.10/32     scram-sha-256", hba);
        Assert.DoesNotContain(hba, l => l.Contains("10.1.0.0/16", StringComparison.Ordinal));

        var bad = ModuleNodes.Sample("single-node.yml").Replace("pg_conf: tiny", """
            pg_conf: tiny
                    pg_hba_rules: [ { user: all, db: all, addr: everywhere, auth: pwd } ]
            """, StringComparison.Ordinal);
        var error = Assert.Throws<Core.Errors.InputException>(() => PgsqlFixture.Settings(bad, "10.10.10.10"));
        Assert.Contains("pg_hba_rules[0].addr: 'everywhere' is neither an address alias", error.Message, StringComparison.Ordinal);
    }
}

using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

public sealed class PgsqlRendererTests
{
    private static readonly IReadOnlyList<(string, string)> LocalRepo = [("path", "/pg/backup"), ("retention_full_type", "count"), ("retention_full", "2")];

    [Fact]
    public void Single_node_primary_files_match_golden_files()
    {
        var s = PgsqlFixture.Settings("single-node.yml", "10.10.10.10");
        var secrets = PgsqlFixture.Secrets;

        Golden.Assert(PatroniRenderer.Render(s, secrets), "Pgsql", "single/patroni.yml");
        Golden.Assert(HbaRenderer.PostgresFile(s), "Pgsql", "single/pg_hba.conf");
        Golden.Assert(PgbouncerRenderer.Ini(s), "Pgsql", "single/pgbouncer.ini");
        Golden.Assert(PgbouncerRenderer.Databases(s), "Pgsql", "single/database.txt");
        Golden.Assert(PgbouncerRenderer.UserOptions(s), "Pgsql", "single/useropts.txt");
        Golden.Assert(PgbouncerRenderer.UserList(s, secrets), "Pgsql", "single/userlist.txt");
        Golden.Assert(HbaRenderer.PgbouncerFile(s), "Pgsql", "single/pgb_hba.conf");
        Golden.Assert(HaproxyRenderer.Render(s), "Pgsql", "single/pg-meta.cfg");
        Golden.Assert(PgbackrestRenderer.Render(s, LocalRepo), "Pgsql", "single/pgbackrest.conf");
        Golden.Assert(SqlRenderer.Roles(s, secrets), "Pgsql", "single/roles.sql");
        Golden.Assert(SqlRenderer.Databases(s), "Pgsql", "single/databases.sql");
        Golden.Assert(PgsqlUnits.ExporterEnvironment(s, secrets), "Pgsql", "single/pg_exporter.env");
        Golden.Assert(PgsqlUnits.BackupScript(s), "Pgsql", "single/pg-backup");
        foreach (var unit in new[] { PgsqlUnits.Patroni(s), PgsqlUnits.Pgbouncer(s), PgsqlUnits.PostgresExporter(s), PgsqlUnits.PgbouncerExporter(s),
            PgsqlUnits.BackupService(s), PgsqlUnits.BackupTimer(s) })
        {
            Golden.Assert(unit.Render(), "Pgsql", $"single/{unit.Name}");
        }
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

        Golden.Assert(PatroniRenderer.Render(replica, PgsqlFixture.Secrets), "Pgsql", "three/patroni-pg-meta-2.yml");
        Golden.Assert(PatroniRenderer.Render(offline, PgsqlFixture.Secrets), "Pgsql", "three/patroni-pg-meta-3.yml");
        Golden.Assert(HaproxyRenderer.Render(replica), "Pgsql", "three/pg-meta.cfg");
        Golden.Assert(HbaRenderer.PostgresFile(offline), "Pgsql", "three/pg_hba-pg-meta-3.conf");
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

        Golden.Assert(PgbackrestRenderer.Render(s, resolved), "Pgsql", "minio/pgbackrest.conf");
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

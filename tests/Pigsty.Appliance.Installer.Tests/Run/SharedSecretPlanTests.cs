using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Tests.Modules;
using Pigsty.Appliance.Installer.Tests.Modules.Minio;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Run;

/// <summary>
/// Secrets that several nodes must share cannot be generated on each: a multi-node seed without them fails at plan time on
/// every node that needs them, naming each parameter and where to write it, instead of 20-30 minutes into the install.
/// </summary>
public sealed class SharedSecretPlanTests : IDisposable
{
    /// <summary>Three etcd members, a PostgreSQL cluster on three nodes and three MinIO servers its backups go to; no secret given.</summary>
    private const string Site = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            etcd:
              hosts: { 10.10.10.10: { etcd_seq: 1 }, 10.10.10.11: { etcd_seq: 2 }, 10.10.10.12: { etcd_seq: 3 } }
              vars: { etcd_cluster: etcd }
            minio:
              hosts: { 10.10.10.11: { minio_seq: 1 }, 10.10.10.12: { minio_seq: 2 }, 10.10.10.13: { minio_seq: 3 } }
              vars: { minio_cluster: minio }
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary }, 10.10.10.11: { pg_seq: 2, pg_role: replica } }
              vars:
                pg_cluster: pg-meta
                pg_users: [ { name: dbuser_app, pgbouncer: true }, { name: dbuser_etl } ]
          vars:
            admin_ip: 10.10.10.10
            pgbackrest_method: minio
        """;

    private const string Secrets = """

            etcd_root_password: 'Etcd.Shared-4xq'
            pg_replication_password: 'Repl.Shared-9kd'
            pg_monitor_password: 'Mon.Shared-2mz'
            pg_admin_password: 'Dba.Shared-7tw'
            patroni_password: 'Api.Shared-3rf'
            pg_etcd_password: 'Dcs.Shared-8pn'
            minio_secret_key: 'Root.Shared-5vb'
            dba_s3_key_secret: 'S3.Dba-6yc'
            pgbackrest_s3_key_secret: 'S3.Backup-1hg'
        """;

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>The node's plan; nodes other than the admin node hold their certificates (site material), so only secrets are missing.</summary>
    private InstallPlan Plan(string inventory, string address)
    {
        ModuleNodes.WriteSiteMaterial(_root.Path, address, "etcd", "pgsql", "minio");
        return InstallPlan.Create(ModuleNodes.Create(_root.Path, inventory, address, MinioFixture.Bundle),
            [new EtcdModule(), new MinioModule(), new PgsqlModule(new FixedResources())]);
    }

    [Theory]
    [InlineData("10.10.10.10", "all.vars.etcd_root_password", "all.children.pg-meta.vars.pg_etcd_password", "all.children.pg-meta.vars.pg_replication_password",
        "all.children.pg-meta.vars.pg_monitor_password", "all.children.pg-meta.vars.pg_admin_password", "all.children.pg-meta.vars.patroni_password",
        "all.children.pg-meta.vars.pg_users[0].password", "all.vars.pgbackrest_s3_key_secret")]
    [InlineData("10.10.10.11", "all.vars.etcd_root_password", "all.vars.minio_secret_key", "all.vars.dba_s3_key_secret", "all.vars.pgbackrest_s3_key_secret",
        "all.children.pg-meta.vars.pg_etcd_password", "all.children.pg-meta.vars.pg_replication_password", "all.children.pg-meta.vars.pg_monitor_password",
        "all.children.pg-meta.vars.pg_admin_password", "all.children.pg-meta.vars.patroni_password", "all.children.pg-meta.vars.pg_users[0].password")]
    [InlineData("10.10.10.13", "all.vars.minio_secret_key", "all.vars.dba_s3_key_secret", "all.vars.pgbackrest_s3_key_secret")]
    public void A_multi_node_site_without_its_shared_secrets_fails_at_plan_time_naming_each(string address, params string[] fields)
    {
        var error = Assert.Throws<InputException>(() => Plan(Site, address));

        Assert.Equal(fields.Order(StringComparer.Ordinal), error.Problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.All(error.Problems, p => Assert.StartsWith("missing; ", p.Message, StringComparison.Ordinal));
        Assert.All(error.Problems, p => Assert.Contains("a generated one would differ on each node", p.Message, StringComparison.Ordinal));
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void Each_problem_says_which_nodes_share_the_secret_and_points_where_to_write_it()
    {
        var error = Assert.Throws<InputException>(() => Plan(Site, "10.10.10.11"));

        var etcd = error.Problems.Single(p => p.Field == "all.vars.etcd_root_password");
        Assert.Equal("pigsty.yml:16:5", etcd.Location.ToString());
        Assert.Contains("etcd cluster 'etcd' (10.10.10.10, 10.10.10.11, 10.10.10.12)", etcd.Message, StringComparison.Ordinal);
        var dcs = error.Problems.Single(p => p.Field == "all.children.pg-meta.vars.pg_etcd_password");
        Assert.Equal("pigsty.yml:10:5", dcs.Location.ToString());
        Assert.Contains("10.10.10.10, 10.10.10.11", dcs.Message, StringComparison.Ordinal);
        var pooled = error.Problems.Single(p => p.Field == "all.children.pg-meta.vars.pg_users[0].password");
        Assert.Equal("pigsty.yml:14:21", pooled.Location.ToString());
        Assert.Contains("dbuser_app", pooled.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.10.10.10")]
    [InlineData("10.10.10.11")]
    [InlineData("10.10.10.13")]
    public void With_the_shared_secrets_in_the_seed_every_node_plans(string address)
    {
        var given = Site.Replace("pgbackrest_method: minio", "pgbackrest_method: minio" + Secrets.TrimEnd(), StringComparison.Ordinal)
            .Replace("{ name: dbuser_app, pgbouncer: true }", "{ name: dbuser_app, pgbouncer: true, password: 'App.Shared-0ow' }", StringComparison.Ordinal);

        var plan = Plan(given, address);

        Assert.NotEmpty(plan.Modules.SelectMany(m => m.Steps));
    }

    [Fact]
    public void A_single_node_site_needs_no_shared_secret()
    {
        var plan = Plan(ModuleNodes.Sample("single-node.yml"), "10.10.10.10");

        Assert.Contains(plan.Modules, m => m.Module == "PGSQL" && !m.Skipped);
    }
}

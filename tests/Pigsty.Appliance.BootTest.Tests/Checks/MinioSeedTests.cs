using Pigsty.Appliance.BootTest.Checks;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

public sealed class MinioSeedTests
{
    private const string Seed = """
        all:
          children:
            infra: { hosts: { 10.0.2.15: { infra_seq: 1 } } }
            etcd:  { hosts: { 10.0.2.15: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            minio: { hosts: { 10.0.2.15: { minio_seq: 1 } }, vars: { minio_cluster: minio } }
            pg-meta: { hosts: { 10.0.2.15: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars:
            admin_ip: 10.0.2.15
            pgbackrest_method: local
        """;

    [Fact]
    public void The_default_layout_expects_pigstys_buckets_and_users_and_no_backup_into_minio()
    {
        var expected = MinioSeed.Expect(Seed, "seed.yml");

        Assert.NotNull(expected);
        Assert.Equal(["pgsql", "meta", "data"], expected.Buckets);
        Assert.Equal([("dba", "consoleAdmin"), ("pgbackrest", "readwrite-pgsql")], expected.Users);
        Assert.Null(expected.BackupPrefix);
    }

    [Fact]
    public void Pgbackrest_method_minio_expects_backup_info_under_the_repository_path()
    {
        var expected = MinioSeed.Expect(Seed.Replace("pgbackrest_method: local", "pgbackrest_method: minio", StringComparison.Ordinal), "seed.yml");

        Assert.Equal("pgsql/pgbackrest/backup/pg-meta/", expected?.BackupPrefix);
    }

    [Fact]
    public void A_seed_without_minio_expects_nothing()
    {
        var seed = Seed.Replace("    minio: { hosts: { 10.0.2.15: { minio_seq: 1 } }, vars: { minio_cluster: minio } }\n", "", StringComparison.Ordinal);

        Assert.Null(MinioSeed.Expect(seed, "seed.yml"));
    }
}

using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Core.Tests.Inventory;

public sealed class InventorySecretsTests
{
    private const string Site = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } }, vars: { nginx_users: { admin: pigsty } } }
            minio:
              hosts: { 10.10.10.10: { minio_seq: 1 } }
              vars:
                minio_cluster: minio
                minio_secret_key: S3User.MinIO
                minio_users: [ { access_key: pgbackrest, secret_key: S3User.Backup, policy: pgsql } ]
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary, pg_monitor_password: mine.Only } }
              vars:
                pg_cluster: pg-meta
                pg_users: [ { name: dbuser_app, password: DBUser.App }, { name: dbuser_other, password: "Not.Pigsty's" } ]
                pgbackrest_repo: { minio: { s3_key_secret: S3User.Backup, cipher_pass: pgBackRest } }
          vars:
            admin_ip: 10.10.10.10
            nodename: pigsty
            pg_admin_password: DBUser.DBA
            vip_auth_pass: ''
            grafana_admin_password: pigsty
        """;

    [Fact]
    public void Finds_every_secret_once_at_any_depth_in_file_order()
    {
        var inventory = InventoryLoader.Parse(Site, "pigsty.yml");

        var secrets = InventorySecrets.In(inventory);

        Assert.Equal(
        [
            "all.children.infra.vars.nginx_users.admin",
            "all.children.minio.vars.minio_secret_key",
            "all.children.minio.vars.minio_users[0].secret_key",
            "all.children.pg-meta.hosts[10.10.10.10].pg_monitor_password",
            "all.children.pg-meta.vars.pg_users[0].password",
            "all.children.pg-meta.vars.pg_users[1].password",
            "all.children.pg-meta.vars.pgbackrest_repo.minio.s3_key_secret",
            "all.children.pg-meta.vars.pgbackrest_repo.minio.cipher_pass",
            "all.vars.pg_admin_password",
            "all.vars.vip_auth_pass",
            "all.vars.grafana_admin_password",
        ], secrets.Select(s => s.Path));
    }

    [Fact]
    public void Names_each_pigsty_default_with_its_line_and_field_and_nothing_else()
    {
        var inventory = InventoryLoader.Parse(Site, "pigsty.yml");

        var problems = InventorySecrets.WellKnownIn(inventory);

        Assert.Equal(
        [
            "pigsty.yml:3:86: all.children.infra.vars.nginx_users.admin 'pigsty'",
            "pigsty.yml:8:27: all.children.minio.vars.minio_secret_key 'S3User.MinIO'",
            "pigsty.yml:9:62: all.children.minio.vars.minio_users[0].secret_key 'S3User.Backup'",
            "pigsty.yml:14:51: all.children.pg-meta.vars.pg_users[0].password 'DBUser.App'",
            "pigsty.yml:15:52: all.children.pg-meta.vars.pgbackrest_repo.minio.s3_key_secret 'S3User.Backup'",
            "pigsty.yml:15:80: all.children.pg-meta.vars.pgbackrest_repo.minio.cipher_pass 'pgBackRest'",
            "pigsty.yml:19:24: all.vars.pg_admin_password 'DBUser.DBA'",
            "pigsty.yml:21:29: all.vars.grafana_admin_password 'pigsty'",
        ], problems.Select(p => $"{p.Location}: {p.Field} '{System.Text.RegularExpressions.Regex.Match(p.Message, "password '([^']*)'").Groups[1].Value}'"));
        Assert.All(problems, p => Assert.StartsWith("Pigsty's well-known default password", p.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DBUser.DBA", true)]
    [InlineData("DBUser.Supa", true)]
    [InlineData("S3User.Data", true)]
    [InlineData("Patroni.API", true)]
    [InlineData("pigsty", true)]
    [InlineData("Pigsty", false)]
    [InlineData("DBUser.DBA2!", false)]
    [InlineData("kJ8s9x2LmQ", false)]
    public void Knows_pigstys_published_passwords(string value, bool expected) =>
        Assert.Equal(expected, InventorySecrets.IsWellKnown(value));
}

using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Parameters;

namespace Pigsty.Appliance.Installer.Tests.Parameters;

/// <summary>Each warning and error the parameter check gives, with its exact text, file and line.</summary>
public sealed class ParameterCheckTests
{
    private static readonly PigstyInventory Inventory = InventoryLoader.Parse("""
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1, ansible_become: yes } } }
            etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } } }
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
              vars:
                pg_cluster: pg-meta
                pg_databses: [{ name: meta }]
                pg_vip_enabled: false
            pg-test:
              hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary, pg_upstream: 10.10.10.10 } }
              vars:
                pg_cluster: pg-test
                pg_vip_enabled: true
                site_owner: dba-team
          vars:
            admin_ip: 10.10.10.10
            node_tune: oltp
            pg_mode: pgsql
            vip_enabled: false
        """, "check.yml");

    [Fact]
    public void The_whole_inventory_gives_every_warning_and_error_with_file_line_and_field()
    {
        var report = ParameterCheck.Check(Inventory);

        Assert.Equal(
        [
            "check.yml:3:52: all.children.infra.hosts[10.10.10.10].ansible_become: not supported here, ignored: other Ansible connection variables: deploy connects with its own options, first boot connects to nothing",
            "check.yml:9:9: all.children.pg-meta.vars.pg_databses: unknown parameter 'pg_databses' (did you mean 'pg_databases'?)",
            "check.yml:16:9: all.children.pg-test.vars.site_owner: unknown parameter 'site_owner': no Pigsty role and nothing in this appliance reads it",
        ], report.Warnings.Select(w => w.ToString()));
        Assert.Equal(
            "check.yml:12:60: all.children.pg-test.hosts[10.10.10.11].pg_upstream: cannot be honoured here and ignoring it would be unsafe: "
            + "a standby cluster or cascading replica would become an independent primary",
            Assert.Single(report.Errors).ToString());
    }

    [Fact]
    public void A_host_sees_only_what_reaches_its_own_variables()
    {
        var meta = ParameterCheck.Check(Inventory, Inventory.FindHost(IPAddress.Parse("10.10.10.10")));

        Assert.Equal(["ansible_become", "pg_databses"], meta.Warnings.Select(w => w.Field.Split('.')[^1]));
        Assert.Empty(meta.Errors);
    }

    [Fact]
    public void Errors_always_fail_and_warnings_fail_only_when_strict()
    {
        var report = ParameterCheck.Check(Inventory, Inventory.FindHost(IPAddress.Parse("10.10.10.10")));

        report.ThrowIfFailed(strict: false);
        var strict = Assert.Throws<InputException>(() => report.ThrowIfFailed(strict: true));
        Assert.Equal(2, strict.Problems.Count);
        var unsafeOne = Assert.Throws<InputException>(() => ParameterCheck.Check(Inventory).ThrowIfFailed(strict: false));
        Assert.Equal("pg_upstream", Assert.Single(unsafeOne.Problems).Field.Split('.')[^1]);
    }

    [Theory]
    [InlineData("vip_enabled: false", 0)]
    [InlineData("vip_enabled: true", 0)]
    [InlineData("vip_exporter_port: 9650", 1)]
    [InlineData("pg_instances: { 5433: { pg_seq: 2 } }", 1)]
    [InlineData("node_uv_env: ''", 0)]
    [InlineData("node_uv_env: /data/venv", 1)]
    [InlineData("proxy_env: { no_proxy: 'localhost' }", 0)]
    [InlineData("proxy_env: { http_proxy: 'http://proxy:3128' }", 1)]
    [InlineData("pg_exporters: {}", 0)]
    [InlineData("node_hugepage_count: 0", 0)]
    [InlineData("node_hugepage_count: 512", 1)]
    [InlineData("node_selinux_mode: disabled", 0)]
    [InlineData("exporter_metrics_path: /metrics", 0)]
    [InlineData("pg_user_dbuser_meta_password: secret", 0)]
    public void Values_that_ask_for_nothing_missing_raise_nothing(string line, int findings)
    {
        var inventory = InventoryLoader.Parse($"all:\n  vars:\n    admin_ip: 10.0.0.1\n    {line}\n", "one.yml");

        var report = ParameterCheck.Check(inventory);

        Assert.Equal(findings, report.Warnings.Count + report.Errors.Count);
    }

    [Fact]
    public void Grafana_enabled_true_is_a_warning_that_debian_12_has_no_grafana_and_false_asks_for_nothing()
    {
        var on = ParameterCheck.Check(InventoryLoader.Parse("all:\n  vars:\n    admin_ip: 10.0.0.1\n    grafana_enabled: true\n", "grafana.yml"));
        var off = ParameterCheck.Check(InventoryLoader.Parse("all:\n  vars:\n    admin_ip: 10.0.0.1\n    grafana_enabled: false\n", "grafana.yml"));

        Assert.Empty(on.Errors);
        Assert.Equal("grafana.yml:4:5: all.vars.grafana_enabled: not supported here, ignored: Debian (12 and 13) has no Grafana and the default recipes bundle none: "
            + "no dashboards, no /ui/ (the portal shows ready-made metric queries instead); a bundle that adds a grafana package gets it",
            Assert.Single(on.Warnings).ToString());
        Assert.Empty(off.Warnings);
        Assert.Empty(off.Errors);
    }

    [Theory]
    [InlineData("/usr/lib/postgresql/15/bin", false)]
    [InlineData("/usr/lib/postgresql/17/bin", false)]
    [InlineData("/usr/pgsql/bin", true)]
    public void Pg_bin_dir_is_quiet_where_either_release_installs_its_postgresql(string value, bool warned)
    {
        var report = ParameterCheck.Check(InventoryLoader.Parse($"all:\n  vars:\n    admin_ip: 10.0.0.1\n    pg_bin_dir: {value}\n", "bin.yml"));

        Assert.Equal(warned, report.Warnings.Any(w => w.ToString().Contains("pg_bin_dir: not supported here", StringComparison.Ordinal)));
    }

    [Fact]
    public void Loader_warnings_are_part_of_the_report()
    {
        var inventory = InventoryLoader.Parse("all:\n  hosts: { 10.0.0.1: { pg_seq: 1 } }\n  vars: { admin_ip: 10.0.0.1 }\n", "orphan.yml");

        Assert.Contains("pg_seq is set but this host has no pg_cluster", Assert.Single(ParameterCheck.Check(inventory).Warnings).Message, StringComparison.Ordinal);
        Assert.Single(ParameterCheck.Check(inventory, inventory.Hosts[0]).Warnings);
    }
}

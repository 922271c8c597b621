using System.Net;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Core.Tests.Inventory;

/// <summary>Ansible's precedence, as Pigsty relies on it: all.vars lowest, then groups by depth and then by name, then host vars.</summary>
public sealed class VariablePrecedenceTests
{
    private const string Text = """
        all:
          children:
            pg-test:
              hosts:
                10.0.0.1: { pg_seq: 1, pg_role: primary, pg_conf: crit }
                10.0.0.2: { pg_seq: 2, pg_role: replica }
              vars: { pg_cluster: pg-test, pg_conf: olap, node_tune: oltp }
            other:
              hosts: { 10.0.0.3: {} }
          vars:
            admin_ip: 10.0.0.1
            pg_conf: tiny
            node_tune: tiny
            node_ntp_enabled: yes
        """;

    private static readonly PigstyInventory Inventory = InventoryLoader.Parse(Text, "precedence.yml");

    private static VarSet VarsOf(PigstyInventory inventory, string address) => inventory.FindHost(IPAddress.Parse(address))!.Vars;

    [Theory]
    [InlineData("10.0.0.1", "crit")]
    [InlineData("10.0.0.2", "olap")]
    [InlineData("10.0.0.3", "tiny")]
    public void Host_beats_group_beats_all(string address, string expected) =>
        Assert.Equal(expected, VarsOf(Inventory, address).String("pg_conf", "none"));

    [Fact]
    public void Group_variables_reach_every_host_of_the_group() =>
        Assert.Equal("oltp", VarsOf(Inventory, "10.0.0.2").String("node_tune", "none"));

    [Fact]
    public void Yaml_one_one_booleans_are_read_as_booleans() =>
        Assert.True(Inventory.GlobalVars.Bool("node_ntp_enabled", fallback: false));

    [Fact]
    public void Unlisted_host_is_not_found() =>
        Assert.Null(Inventory.FindHost(IPAddress.Parse("10.0.0.9")));

    /// <summary>The bug of issue 12: a second group of the host must not bring all.vars back over the cluster's own values.</summary>
    [Theory]
    [InlineData("aa-other")]
    [InlineData("zz-other")]
    public void A_second_group_does_not_bring_all_vars_back_whatever_its_name(string otherGroup)
    {
        var inventory = InventoryLoader.Parse($$"""
            all:
              children:
                pg-meta:
                  hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
                  vars:
                    pg_cluster: pg-meta
                    pg_users: [{ name: dbuser_meta }]
                    pg_databases: [{ name: meta }]
                    pg_vip_enabled: true
                {{otherGroup}}:
                  hosts: { 10.10.10.10: {} }
                  vars: { node_tune: tiny }
              vars:
                admin_ip: 10.10.10.10
                pg_users: []
                pg_databases: []
                pg_vip_enabled: false
            """, "two-groups.yml");
        var vars = VarsOf(inventory, "10.10.10.10");

        Assert.Equal("dbuser_meta", vars.Require("pg_users", "").AsSequence().Items[0].AsMapping().Find("name")!.AsString());
        Assert.Single(vars.Require("pg_databases", "").AsSequence().Items);
        Assert.True(vars.Bool("pg_vip_enabled", false));
        Assert.Equal("tiny", vars.String("node_tune", "oltp"));
    }

    [Theory]
    [InlineData("aa-second", "first")]
    [InlineData("zz-second", "second")]
    [InlineData("0-second", "first")]
    public void Groups_of_equal_depth_apply_in_name_order_so_the_last_name_wins(string secondName, string expected)
    {
        var inventory = InventoryLoader.Parse($$"""
            all:
              children:
                m-first:  { hosts: { 10.0.0.1: {} }, vars: { node_tune: first } }
                {{secondName}}: { hosts: { 10.0.0.1: {} }, vars: { node_tune: second } }
              vars: { admin_ip: 10.0.0.1 }
            """, "equal-depth.yml");

        Assert.Equal(expected, VarsOf(inventory, "10.0.0.1").String("node_tune", "none"));
    }

    /// <summary>A deeper group wins over a shallower one even when its name sorts first, and parents' variables reach grandchildren's hosts.</summary>
    [Fact]
    public void A_deeper_group_wins_over_a_shallower_one_whatever_the_names()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                zz-site:
                  vars: { node_tune: site, node_timezone: Europe/Berlin, pg_conf: site }
                  children:
                    aa-databases:
                      vars: { node_tune: databases, pg_conf: databases }
                      children:
                        a-pg-meta:
                          hosts: { 10.0.0.1: { pg_seq: 1, pg_role: primary } }
                          vars: { pg_cluster: a-pg-meta, pg_conf: cluster }
                zzz-flat:
                  hosts: { 10.0.0.1: {} }
                  vars: { node_tune: flat, pg_conf: flat }
              vars: { admin_ip: 10.0.0.1, node_tune: all, node_timezone: UTC }
            """, "nested.yml");
        var host = inventory.FindHost(IPAddress.Parse("10.0.0.1"))!;

        Assert.Equal(["zz-site", "zzz-flat", "aa-databases", "a-pg-meta"], host.Groups);
        Assert.Equal("cluster", host.Vars.String("pg_conf", "none"));
        Assert.Equal("databases", host.Vars.String("node_tune", "none"));
        Assert.Equal("Europe/Berlin", host.Vars.String("node_timezone", "none"));
        Assert.Equal([1, 2, 3, 1], new[] { "zz-site", "aa-databases", "a-pg-meta", "zzz-flat" }.Select(n => inventory.Groups.Single(g => g.Name == n).Depth));
        Assert.Equal("a-pg-meta", Assert.Single(inventory.PgClusters).Name);
    }

    /// <summary>Ansible counts a group's depth by its longest path from all: listed at the top and nested too, it is as deep as the nesting.</summary>
    [Fact]
    public void A_group_listed_at_the_top_and_nested_takes_its_deepest_depth()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                b-shared:
                  hosts: { 10.0.0.1: {} }
                  vars: { node_tune: shared }
                c-parent:
                  children:
                    b-shared: {}
                  vars: { node_tune: parent }
                d-flat:
                  hosts: { 10.0.0.1: {} }
                  vars: { node_tune: flat }
              vars: { admin_ip: 10.0.0.1 }
            """, "depth.yml");

        Assert.Equal(2, inventory.Groups.Single(g => g.Name == "b-shared").Depth);
        Assert.Equal("shared", VarsOf(inventory, "10.0.0.1").String("node_tune", "none"));
    }

    [Fact]
    public void A_host_listed_twice_merges_its_variables_in_file_order()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                a: { hosts: { 10.0.0.1: { node_tune: olap, pg_conf: olap } } }
                b: { hosts: { 10.0.0.1: { node_tune: crit } } }
              vars: { admin_ip: 10.0.0.1 }
            """, "twice.yml");
        var vars = VarsOf(inventory, "10.0.0.1");

        Assert.Equal("crit", vars.String("node_tune", "none"));
        Assert.Equal("olap", vars.String("pg_conf", "none"));
    }

    [Fact]
    public void Every_value_remembers_where_it_was_written()
    {
        var value = VarsOf(Inventory, "10.0.0.2").Require("pg_conf", "");

        Assert.Equal("precedence.yml:7:45", value.Location.ToString());
        Assert.Equal("all.children.pg-test.vars.pg_conf", value.Path);
    }
}

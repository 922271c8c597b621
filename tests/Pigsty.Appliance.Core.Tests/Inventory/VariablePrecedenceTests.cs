using System.Net;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Core.Tests.Inventory;

/// <summary>Ansible's precedence: host variables over group variables over all.vars.</summary>
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

    [Theory]
    [InlineData("10.0.0.1", "crit")]
    [InlineData("10.0.0.2", "olap")]
    [InlineData("10.0.0.3", "tiny")]
    public void Host_beats_group_beats_all(string address, string expected) =>
        Assert.Equal(expected, Inventory.FindHost(IPAddress.Parse(address))!.Vars.String("pg_conf", "none"));

    [Fact]
    public void Group_variables_reach_every_host_of_the_group() =>
        Assert.Equal("oltp", Inventory.FindHost(IPAddress.Parse("10.0.0.2"))!.Vars.String("node_tune", "none"));

    [Fact]
    public void Yaml_one_one_booleans_are_read_as_booleans() =>
        Assert.True(Inventory.GlobalVars.Bool("node_ntp_enabled", fallback: false));

    [Fact]
    public void Unlisted_host_is_not_found() =>
        Assert.Null(Inventory.FindHost(IPAddress.Parse("10.0.0.9")));
}

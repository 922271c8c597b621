using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>The host firewall: which ports the node's modules open to whom, the ruleset, and how nft reads it.</summary>
public sealed class FirewallTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private FirewallSettings Settings(string inventory = TestNode.SingleNode, string? address = null) =>
        FirewallSettings.From(TestNode.Create(_temp.File("root"), inventory, address: address), InstallModules.Descriptors);

    [Fact]
    public void The_single_node_opens_the_documented_ports_of_every_module_it_runs_to_the_site_only()
    {
        var settings = Settings();

        Assert.Equal(FirewallSettings.Zone, settings.Mode);
        Assert.Equal([22, 53, 80, 443, 2379, 2380, 2381, 5432, 5433, 5434, 5436, 5438, 6432, 8008, 9100, 9101, 9630, 9631], settings.SiteTcp);
        Assert.Equal([53, 123], settings.SiteUdp);
        Assert.Equal([22, 80, 443], settings.PublicPorts);

        // The inventory's host is inside 10.0.0.0/8 already: merged away, as nftables refuses overlapping intervals.
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], settings.Site.Select(n => n.ToString()));
        Golden.Assert(NftablesConfig.Render(settings), "Modules/Node/Golden/nftables.conf");
    }

    [Fact]
    public void The_inventorys_own_haproxy_services_are_opened_and_pg_default_services_replace_pigstys_four()
    {
        var inventory = TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n"
            + "    pg_default_services: [{ name: primary, port: 5433, dest: default, check: /primary, selector: '[]' }]\n"
            + "    pg_services: [{ name: standby, port: 5440, dest: postgres, check: /primary, selector: '[]' }]\n"
            + "    haproxy_services: [{ name: web, port: 8080, servers: [{ name: web-1, ip: 10.10.10.10, port: 80 }] }]", StringComparison.Ordinal);

        var settings = Settings(inventory);

        Assert.Equal([22, 53, 80, 443, 2379, 2380, 2381, 5432, 5433, 5440, 6432, 8008, 8080, 9100, 9101, 9630, 9631], settings.SiteTcp);
        Assert.Contains("haproxy service standby 5440", NftablesConfig.Render(settings), StringComparison.Ordinal);
        Assert.Contains("haproxy service web 8080", NftablesConfig.Render(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_opens_only_what_node_and_pgsql_serve_and_hosts_outside_the_intranet_join_the_site()
    {
        var inventory = TestNode.TwoNodes.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_firewall_intranet: [ 192.168.0.0/16, 'fd00::/8' ]\n    pg_port: 15432",
            StringComparison.Ordinal);

        var settings = Settings(inventory, "10.10.10.11");

        Assert.Equal([22, 5433, 5434, 5436, 5438, 6432, 8008, 9100, 9101, 9630, 9631, 15432], settings.SiteTcp);
        Assert.Empty(settings.SiteUdp);
        Assert.Equal(["10.10.10.10/32", "10.10.10.11/32", "192.168.0.0/16", "fd00::/8"], settings.Site.Select(n => n.ToString()));
    }

    [Theory]
    [InlineData("node_firewall_mode: strict", "node_firewall_mode: 'strict' is not one of zone, off, none")]
    [InlineData("node_firewall_intranet: [ 10.0.0.0/33 ]", "node_firewall_intranet[0]: '10.0.0.0/33' is not a network in CIDR notation")]
    [InlineData("node_firewall_public_port: [ 22, 70000 ]", "node_firewall_public_port[1]: 70000 is not a TCP port")]
    public void A_bad_parameter_is_an_input_error_naming_it(string line, string message)
    {
        var error = Assert.Throws<InputException>(() => Settings(TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", $"admin_ip: 10.10.10.10\n    {line}", StringComparison.Ordinal)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_off_only_removes_our_table_and_none_plans_no_firewall_step()
    {
        var off = Settings(TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_firewall_mode: 'off'", StringComparison.Ordinal));
        Golden.Assert(NftablesConfig.Render(off), "Modules/Node/Golden/nftables.conf.off");

        var none = TestNode.Create(_temp.File("root"), TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_firewall_mode: none", StringComparison.Ordinal));
        var plan = new NodeModule(InstallModules.Descriptors).Plan(none);
        Assert.DoesNotContain(plan.Steps, s => s.Id == "node.firewall");
        Assert.Contains("firewall skipped: node_firewall_mode is none (the site manages this node's firewall)", plan.Notes);
        Assert.Contains(new NodeModule(InstallModules.Descriptors).Plan(TestNode.Create(_temp.File("root"))).Steps, s => s.Id == "node.firewall");
    }

    [Fact]
    public void Merging_keeps_networks_that_no_other_covers() =>
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "::1/128"],
            FirewallSettings.Merge([IPNetwork.Parse("10.1.2.3/32"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("::1/128"),
                IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("10.0.0.0/8")]).Select(n => n.ToString()));
}

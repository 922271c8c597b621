using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>The ha run's inventory and the site command it hands it to.</summary>
public sealed class HaSiteTests
{
    private static readonly HaSite Site = new("ssh-ed25519 AAAAC3NzaTest pigsty-boottest", "Meta7hisRunOnly", "View7hisRunOnly");

    [Fact]
    public void The_inventory_is_the_golden_three_node_site()
    {
        Golden.Assert(Site.Inventory(), "Ha/Golden/ha-inventory.yml");
    }

    [Fact]
    public void The_inventory_loads_with_three_hosts_in_etcd_and_pg_meta_and_infra_on_the_first_and_the_primary_on_the_second()
    {
        var inventory = InventoryLoader.Parse(Site.Inventory(), "ha-inventory.yml");

        Assert.Equal(HaSite.Hosts[0], inventory.AdminIp);
        Assert.Equal([HaSite.Hosts[0]], inventory.Infra.Select(m => m.Address));
        Assert.Equal(HaSite.Hosts, inventory.Etcd.Single().Members.Select(m => m.Address));
        var pg = inventory.PgClusters.Single();
        Assert.Equal("pg-meta", pg.Name);
        Assert.Equal(HaSite.Hosts, pg.Instances.Select(i => i.Address));
        Assert.Equal(HaSite.Hosts[1], pg.Primary.Address);
        Assert.Equal(HaSite.FirstPrimary, pg.Primary.Address);
        Assert.Equal("30s", inventory.GlobalVars.Find("vmetrics_scrape_interval")?.AsString());
        Assert.Equal("10.10.10.2/24", pg.Vars.Find("pg_vip_address")?.AsString());
        Assert.Equal("true", pg.Vars.Find("pg_vip_enabled")?.AsString());
        Assert.Null(pg.Vars.Find("pg_rto"));
        Assert.Empty(inventory.Minio);
    }

    [Fact]
    public void Each_site_gets_its_own_passwords_and_never_pigstys_defaults()
    {
        var one = HaSite.Create("key");
        var two = HaSite.Create("key");

        Assert.NotEqual(one.MetaPassword, two.MetaPassword);
        Assert.Equal(24, one.MetaPassword.Length);
        Assert.DoesNotContain("DBUser.Meta", one.Inventory(), StringComparison.Ordinal);
        Assert.Contains($"password: '{one.MetaPassword}'", one.Inventory(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_site_command_asks_for_a_24_prefix_and_no_gateway_and_seeds_are_named_by_address()
    {
        var spec = HaSite.SiteCommand("/p/pigsty-appliance", "/w/ha-inventory.yml", "/w/ha-site");

        Assert.Equal(["site", "--inventory", "/w/ha-inventory.yml", "--dir", "/w/ha-site", "--prefix", "24"], spec.Arguments);
        Assert.Equal("/w/ha-site/seeds/10.10.10.12.img", HaSite.SeedOf("/w/ha-site", HaSite.Hosts[1]));
    }
}

using System.Net;
using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.BootTest.Push;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.BootTest.Tests.Push;

/// <summary>The push run's site: the inventory before and after the replica is added, the commands it runs, the known_hosts it pins.</summary>
public sealed class PushSiteTests
{
    private static readonly PushSite Site = new(HaSite.Create("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBpZ3N0eSB0ZXN0IGtleSwgbm90IGZvciBsb2dpbiEh pigsty-boottest"), "debian");

    [Fact]
    public void The_first_inventory_has_one_host_that_is_admin_node_etcd_and_primary()
    {
        var inventory = InventoryLoader.Parse(Site.Inventory(withReplica: false), "push-inventory.yml");

        var host = Assert.Single(inventory.Hosts);
        Assert.Equal(PushSite.Hosts[0], host.Address);
        Assert.Equal(PushSite.Hosts[0], inventory.AdminIp);
        Assert.Equal([PushSite.Hosts[0]], inventory.Etcd.Single().Members.Select(m => m.Address));
        Assert.Equal(PushSite.Hosts[0], inventory.PgClusters.Single().Primary.Address);
        // deploy logs in as the plain image's admin user, through sudo -n.
        Assert.Equal("debian", host.Vars.Find("ansible_user")?.AsString());
    }

    [Fact]
    public void Adding_the_replica_changes_only_pg_meta_s_hosts()
    {
        var before = Site.Inventory(withReplica: false);
        var after = Site.Inventory(withReplica: true);
        var inventory = InventoryLoader.Parse(after, "push-inventory.yml");

        Assert.Equal(PushSite.Hosts, inventory.Hosts.Select(h => h.Address));
        var replica = inventory.PgClusters.Single().Instances.Single(i => i.Address.Equals(PushSite.Hosts[1]));
        Assert.Equal(PgRole.Replica, replica.Role);
        var primary = $"        {PushSite.Hosts[0]}: {{ pg_seq: 1, pg_role: primary }}\n";
        Assert.Equal(before.Replace(primary, primary + $"        {PushSite.Hosts[1]}: {{ pg_seq: 2, pg_role: replica }}\n", StringComparison.Ordinal), after);
        Assert.Contains($"password: '{Site.Passwords.MetaPassword}'", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_pins_hosts_in_the_run_s_known_hosts_and_never_trusts_on_first_use()
    {
        var first = PushSite.DeployCommand("/p/pigsty-appliance", "/w/inv.yml", "/w/site", "/d/b.tgz", "/w/key", "/w/known_hosts", "/w/logs", null);
        var limited = PushSite.DeployCommand("/p/pigsty-appliance", "/w/inv.yml", "/w/site", "/d/b.tgz", "/w/key", "/w/known_hosts", "/w/logs", PushSite.Hosts[1]);

        Assert.Equal(["deploy", "--inventory", "/w/inv.yml", "--site", "/w/site", "--bundle", "/d/b.tgz", "--ssh-key", "/w/key", "--known-hosts", "/w/known_hosts",
            "--log-dir", "/w/logs"], first.Arguments);
        Assert.Equal(["--limit", "10.10.10.12"], limited.Arguments.TakeLast(2));
        Assert.DoesNotContain("--trust-new-host-keys", limited.Arguments);
    }

    [Fact]
    public void The_image_is_the_plain_definition_with_the_run_s_key_and_a_json_summary()
    {
        var spec = PushSite.ImageCommand("/p/pigsty-appliance", "/d/b.tgz", "/w/key.pub", "/w/dist", "/w/image");

        Assert.Equal(["image", "--image", "plain-d12", "--bundle", "/d/b.tgz", "--authorized-key", "/w/key.pub", "--output", "/w/dist", "--work", "/w/image", "--json"],
            spec.Arguments);
    }

    [Fact]
    public void Known_hosts_lines_pin_every_key_each_console_showed()
    {
        var text = PushSite.KnownHosts([(IPAddress.Parse("10.10.10.11"), ["ssh-ed25519 AAAA1", "ecdsa-sha2-nistp256 AAAA2"]), (IPAddress.Parse("10.10.10.12"), ["ssh-ed25519 AAAA3"])]);

        Assert.Equal("10.10.10.11 ssh-ed25519 AAAA1\n10.10.10.11 ecdsa-sha2-nistp256 AAAA2\n10.10.10.12 ssh-ed25519 AAAA3\n", text);
    }

    [Theory]
    [InlineData("pigsty-hostkey: ssh-ed25519 AAAAC3Nz root@debian", "ssh-ed25519 AAAAC3Nz")]
    [InlineData("[   12.5] pigsty-hostkey: ecdsa-sha2-nistp256 AAAAE2Vj root@debian\r", "ecdsa-sha2-nistp256 AAAAE2Vj")]
    [InlineData("pigsty-hostkey: ssh-rsa AAAAB3Nz", "ssh-rsa AAAAB3Nz")]
    [InlineData("pigsty-hostkey: garbage", null)]
    [InlineData("pigsty-hostkey: ", null)]
    [InlineData("debian login:", null)]
    public void Host_keys_are_read_off_the_console_lines(string line, string? key) => Assert.Equal(key, HostKeyConsole.KeyOf(line));

    [Fact]
    public void The_summary_is_deploy_s_closing_table()
    {
        const string output = "[10.10.10.12] ready\ndeploy summary: 1 of 1 hosts installed\n  10.10.10.12  pg-meta-2 replica  unchanged  nothing changed\n";

        Assert.Equal("deploy summary: 1 of 1 hosts installed\n  10.10.10.12  pg-meta-2 replica  unchanged  nothing changed", PushRun.Summary(output));
        Assert.Equal("", PushRun.Summary("error: --ssh-key: no such file\n"));
    }

    [Theory]
    [InlineData("{\"images\": [{\"path\": \"d/x.img\", \"bytes\": 1}, {\"path\": \"d/x.qcow2\", \"bytes\": 1}]}", "d/x.img")]
    [InlineData("{\"images\": []}", null)]
    [InlineData("image: d/x.img (8192 MiB)", null)]
    [InlineData("{\"error\": {\"exit_code\": 3}}", null)]
    public void The_raw_image_is_the_first_of_the_image_summary(string json, string? path) => Assert.Equal(path, PushRun.ImagePath(json));
}

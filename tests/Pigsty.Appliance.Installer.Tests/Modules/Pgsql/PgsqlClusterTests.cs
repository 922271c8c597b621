using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>A three-node cluster (three-node-vip.yml): Patroni per pg_rto and pg_rpo, HAProxy on every member, the VIP callback.</summary>
public sealed class PgsqlClusterTests
{
    private const string Sample = "three-node-vip.yml";

    private static string With(string replacement) => ModuleNodes.Sample(Sample).Replace("pg_rpo: 0", replacement, StringComparison.Ordinal);

    [Fact]
    public void Patroni_files_match_golden_files_for_each_rto_plan_and_synchronous_commit()
    {
        Golden.Assert(PatroniRenderer.Render(PgsqlFixture.Settings(Sample, "10.10.10.11"), PgsqlFixture.Secrets), "Modules/Pgsql/Golden/cluster/patroni-pg-test-1.yml");
        Golden.Assert(PatroniRenderer.Render(PgsqlFixture.Settings(With("pg_rto: fast"), "10.10.10.12"), PgsqlFixture.Secrets), "Modules/Pgsql/Golden/cluster/patroni-pg-test-2-fast.yml");
        Golden.Assert(PatroniRenderer.Render(PgsqlFixture.Settings(With("pg_rto: safe"), "10.10.10.13"), PgsqlFixture.Secrets), "Modules/Pgsql/Golden/cluster/patroni-pg-test-3-safe.yml");
    }

    [Theory]
    [InlineData("fast", 20, 5, 5, 15, 5, "inter 1s fastinter 0.5s downinter 1s rise 3 fall 3")]
    [InlineData("norm", 30, 5, 10, 25, 5, "inter 2s fastinter 1s downinter 2s rise 3 fall 3")]
    [InlineData("safe", 60, 10, 20, 45, 10, "inter 3s fastinter 1.5s downinter 3s rise 3 fall 3")]
    [InlineData("wide", 120, 20, 30, 95, 15, "inter 4s fastinter 2s downinter 4s rise 3 fall 3")]
    public void Pg_rto_plans_give_patroni_and_haproxy_pigstys_timings(string plan, int ttl, int loop, int retry, int start, int margin, string checks)
    {
        var s = PgsqlFixture.Settings(With($"pg_rpo: 0\n        pg_rto: {plan}"), "10.10.10.12");
        var patroni = PatroniRenderer.Render(s, PgsqlFixture.Secrets);

        Assert.Contains($"    ttl: {ttl}\n    loop_wait: {loop}\n    retry_timeout: {retry}\n    primary_start_timeout: {start}\n", patroni, StringComparison.Ordinal);
        Assert.Contains($"watchdog:\n  mode: 'off'\n  safety_margin: {margin}\n", patroni, StringComparison.Ordinal);
        Assert.All(s.Services, r => Assert.StartsWith(checks + " on-marked-down", r.DefaultServer, StringComparison.Ordinal));
    }

    [Fact]
    public void Pg_rpo_zero_turns_on_synchronous_mode_and_a_custom_rto_plan_is_read()
    {
        var plan = "pg_rpo: 1048576\n        pg_rto: snappy\n        pg_rto_plan: { snappy: [24, 4, 8, 20, 5, '1s', '0.5s', '1s', 2, 2], norm: [30, 5, 10, 25, 5, '2s', '1s', '2s', 3, 3] }";
        var sync = PatroniRenderer.Render(PgsqlFixture.Settings(Sample, "10.10.10.11"), PgsqlFixture.Secrets);
        var custom = PgsqlFixture.Settings(With(plan), "10.10.10.11");

        Assert.Contains("    maximum_lag_on_failover: 0\n", sync, StringComparison.Ordinal);
        Assert.Contains("    synchronous_mode: true\n    synchronous_mode_strict: false\n", sync, StringComparison.Ordinal);
        Assert.Contains("    synchronous_mode: false\n", PatroniRenderer.Render(custom, PgsqlFixture.Secrets), StringComparison.Ordinal);
        Assert.Equal((24, 4, 8, 20, "1s", 2), (custom.Rto.Ttl, custom.Rto.LoopWait, custom.Rto.RetryTimeout, custom.Rto.PrimaryStartTimeout, custom.Rto.Inter, custom.Rto.Rise));

        var bad = Assert.Throws<InputException>(() => PgsqlFixture.Settings(With("pg_rto_plan: { norm: [20, 10, 10, 25, 5, '2s', '1s', '2s', 3, 3] }"), "10.10.10.11"));
        Assert.Contains("pg_rto_plan.norm: Patroni needs ttl >= 20, loop >= 1, retry >= 3 and loop + 2 x retry <= ttl", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_member_renders_the_same_services_routing_to_all_three()
    {
        var files = new[] { "10.10.10.11", "10.10.10.12", "10.10.10.13" }.Select(a => HaproxyRenderer.Render(PgsqlFixture.Settings(Sample, a))).ToList();

        Golden.Assert(files[0], "Modules/Pgsql/Golden/cluster/pg-test.cfg");
        Assert.All(files, f => Assert.Equal(files[0], f));
        string[] all = ["pg-test-1 10.10.10.11", "pg-test-2 10.10.10.12", "pg-test-3 10.10.10.13"];
        foreach (var (port, check, servers) in new[] { (5433, "/primary", all), (5434, "/read-only", all), (5436, "/primary", all), (5438, "/replica", all[1..]) })
        {
            var section = files[0].Split("\nlisten ").Single(s => s.Contains($"bind *:{port}\n", StringComparison.Ordinal));
            Assert.Contains($"http-check send meth OPTIONS uri {check}\n", section, StringComparison.Ordinal);
            Assert.Equal(servers, section.Split('\n').Where(l => l.StartsWith("    server ", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..3]).Split(':')[0]));
        }
    }

    [Fact]
    public void The_vip_callback_and_its_sudoers_rule_match_golden_files()
    {
        var s = PgsqlFixture.Settings(Sample, "10.10.10.12");

        Assert.Equal(new PgVip(IPAddress.Parse("10.10.10.3"), 24, "eth1"), s.Vip);
        Golden.Assert(PgVipRenderer.Script(s, s.Vip!, "ens3"), "Modules/Pgsql/Golden/cluster/pg-vip");
        Golden.Assert(PgVipRenderer.Sudoers(s.Dbsu), "Modules/Pgsql/Golden/cluster/pg-vip.sudoers");
        Assert.Contains("  callbacks:\n    on_start: '/usr/bin/sudo -n /pg/bin/pg-vip'\n", PatroniRenderer.Render(s, PgsqlFixture.Secrets), StringComparison.Ordinal);
        Assert.DoesNotContain("callbacks:", PatroniRenderer.Render(PgsqlFixture.Settings("three-node-ha.yml", "10.10.10.11"), PgsqlFixture.Secrets), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_waits_for_whichever_member_leads_not_for_the_inventory_primary()
    {
        using var root = new TempDirectory();
        ModuleNodes.WriteSiteMaterial(root.Path, "10.10.10.13", "etcd", "pgsql");
        var node = PgsqlFixture.Node(root, Sample, "10.10.10.13");
        var machine = new Fakes.FakeMachine(root.Path, []);
        var step = new PgsqlModule(new FixedResources()).Plan(node).Steps.Single(s => s.Id == "pgsql.await-primary");

        await step.Apply(ModuleNodes.Context(node, machine), CancellationToken.None);

        Assert.Equal(["patroni.service http://10.10.10.11:8008/primary", "patroni.service http://10.10.10.12:8008/primary"], machine.Probes);
    }

    [Theory]
    [InlineData("pg_vip_address: 10.10.10.3/24", "", "pg_vip_address: missing; pg_vip_enabled is true")]
    [InlineData("pg_vip_address: 10.10.10.3/24", "pg_vip_address: 10.10.10.3/40", "pg_vip_address: pg_vip_address '10.10.10.3/40' is not an IPv4 address with a mask")]
    [InlineData("pg_vip_address: 10.10.10.3/24", "pg_vip_address: 127.0.0.1/24", "is a loopback address")]
    public void A_vip_without_a_usable_address_is_an_input_error(string from, string to, string message)
    {
        var error = Assert.Throws<InputException>(() => PgsqlFixture.Settings(ModuleNodes.Sample(Sample).Replace(from, to, StringComparison.Ordinal), "10.10.10.11"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private const string Links = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n3: v0@if4: <BROADCAST> mtu 1500\n";

    private const string Addresses = "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n"
        + "2: ens3    inet 10.10.10.12/24 brd 10.10.10.255 scope global ens3\\       valid_lft forever\n"
        + "2: ens3    inet6 fe80::1/64 scope link \\       valid_lft forever\n";

    [Theory]
    [InlineData(null, "ens3", null)]
    [InlineData("auto", "ens3", null)]
    [InlineData("v0", "v0", null)]
    [InlineData("eth1", "ens3", "pg_vip_interface 'eth1' does not exist on this node: the VIP goes on ens3, which holds 10.10.10.12")]
    public void The_vip_interface_is_the_one_asked_for_or_the_one_holding_the_node_address(string? wanted, string expected, string? note)
    {
        Assert.Equal((expected, note), VipInterface.Pick("pg_vip_interface", wanted, IPAddress.Parse("10.10.10.12"), Addresses, Links));

        var error = Assert.Throws<InstallException>(() => VipInterface.Pick("vip_interface", wanted, IPAddress.Parse("10.10.10.99"), Addresses, "1: lo: <LOOPBACK>\n"));
        Assert.Contains("no network interface holds this node's inventory address 10.10.10.99", error.Message, StringComparison.Ordinal);
    }
}

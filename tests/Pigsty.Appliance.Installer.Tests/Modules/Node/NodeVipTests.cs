using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>Pigsty's node VIP (three-node-vip.yml): keepalived over the hosts sharing vip_address, VRRP let through the firewall.</summary>
public sealed class NodeVipTests : IDisposable
{
    private const string Sample = "three-node-vip.yml";

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private NodeVip? Vip(string address, string? inventory = null) =>
        NodeVip.From(ModuleNodes.Create(_root.Path, inventory ?? ModuleNodes.Sample(Sample), address));

    [Fact]
    public void Keepalived_configs_match_golden_files()
    {
        var master = Vip("10.10.10.11")!;
        var backup = Vip("10.10.10.12")!;

        Golden.Assert(KeepalivedConfig.Render(master, "ens3"), "Modules/Node/Golden/keepalived.conf");
        Golden.Assert(KeepalivedConfig.Render(backup, "ens3"), "Modules/Node/Golden/keepalived.conf.backup");
        Assert.Equal(["10.10.10.12", "10.10.10.13"], master.Peers.Select(p => p.ToString()));
        Assert.Equal(("pg-test-128", true, false), (master.AuthPass, master.Master, backup.Master));
        Golden.Assert(NodeUnits.Keepalived().Render(), "Modules/Node/Golden/keepalived.service");
    }

    [Fact]
    public void Vip_enabled_adds_keepalived_to_the_plan_and_vrrp_to_the_firewall()
    {
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample(Sample), "10.10.10.11");
        var plan = new NodeModule(InstallModules.Descriptors).Plan(node);
        var firewall = FirewallSettings.From(node, InstallModules.Descriptors);

        Assert.Contains("keepalived", plan.Steps.Single(s => s.Id == "node.packages").Title, StringComparison.Ordinal);
        Assert.Contains(plan.Steps, s => s.Id == "node.keepalived");
        Assert.Contains("        ip saddr @site_v4 meta l4proto 112 accept\n", NftablesConfig.Render(firewall), StringComparison.Ordinal);
        var without = FirewallSettings.From(ModuleNodes.Create(_root.Path, ModuleNodes.Sample("three-node-ha.yml"), "10.10.10.11"), InstallModules.Descriptors);
        Assert.DoesNotContain("l4proto 112", NftablesConfig.Render(without), StringComparison.Ordinal);
        Assert.Null(Vip("10.10.10.11", ModuleNodes.Sample("three-node-ha.yml")));
    }

    [Theory]
    [InlineData("vip_vrid: 128", "", "vip_vrid: missing; vip_enabled is true")]
    [InlineData("vip_vrid: 128", "vip_vrid: 255", "vip_vrid 255 is not between 1 and 254")]
    [InlineData("vip_address: 10.10.10.9", "vip_address: node-vip", "vip_address 'node-vip' is not an IPv4 address")]
    [InlineData("vip_role: master", "vip_role: leader", "vip_role 'leader' is not master or backup")]
    public void A_node_vip_without_its_identity_is_an_input_error(string from, string to, string message)
    {
        var error = Assert.Throws<InputException>(() => Vip("10.10.10.11", ModuleNodes.Sample(Sample).Replace(from, to, StringComparison.Ordinal)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Peers_are_the_other_hosts_with_the_same_vip_address()
    {
        var inventory = ModuleNodes.Sample(Sample).Replace("10.10.10.13: { pg_seq: 3, pg_role: replica }",
            "10.10.10.13: { pg_seq: 3, pg_role: replica, vip_address: 10.10.10.8, vip_auth_pass: s3cret }", StringComparison.Ordinal);

        Assert.Equal([IPAddress.Parse("10.10.10.12")], Vip("10.10.10.11", inventory)!.Peers);
        Assert.Equal(("s3cret", 0), (Vip("10.10.10.13", inventory)!.AuthPass, Vip("10.10.10.13", inventory)!.Peers.Count));
    }
}

using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Site;

/// <summary>The node's identity and static address from its seed: node.yml parsed and checked, the .network file, networkd applied and waited for.</summary>
public sealed class StaticNetworkTests : IDisposable
{
    private static readonly WiredNic First = new("ens3", "52:54:00:00:00:0a");
    private static readonly WiredNic Second = new("ens4", "52:54:00:00:00:0b");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_network_file_gives_the_first_wired_nic_the_address_gateway_and_dns()
    {
        var node = SiteNode.Parse("address: 10.10.10.11\nprefix: 24\ngateway: 10.10.10.1\ndns: [10.10.10.1, 10.10.10.2]\n", "node.yml");

        Golden.Assert(StaticNetwork.Render(node, StaticNetwork.Choose(node, [First, Second])), "Site/Golden/10-pigsty-static.network");
    }

    [Fact]
    public void A_seed_that_names_a_mac_gets_that_nic_and_only_an_address()
    {
        var node = SiteNode.Parse("address: 10.10.10.12\nprefix: 16\nmac: '52:54:00:00:00:0B'\n", "node.yml");

        Golden.Assert(StaticNetwork.Render(node, StaticNetwork.Choose(node, [First, Second])), "Site/Golden/10-pigsty-static.network.mac");
        Assert.Contains("no wired NIC of this machine has MAC 52:54:00:00:00:0b (it has ens3 52:54:00:00:00:0a)",
            Assert.Throws<InputException>(() => StaticNetwork.Choose(node, [First])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_and_parse_agree()
    {
        var node = SiteNode.Create(IPAddress.Parse("10.10.10.11"), 24, IPAddress.Parse("10.10.10.1"), [IPAddress.Parse("10.10.10.1")], "52:54:00:00:00:0a", "test");

        Assert.Equal(node.Render(), SiteNode.Parse(node.Render(), "node.yml").Render());
        Assert.False(SiteNode.Parse("address: 10.10.10.11\n", "node.yml").IsStatic);
    }

    [Theory]
    [InlineData("address: 10.10.10.11\nprefix: 33\n", "prefix 33 is not between 1 and 32")]
    [InlineData("address: 10.10.10.11\nprefix: 24\ngateway: 10.10.11.1\n", "gateway 10.10.11.1 is not another address of 10.10.10.11/24's subnet")]
    [InlineData("address: 10.10.10.11\ngateway: 10.10.10.1\n", "a gateway or DNS server needs a prefix")]
    [InlineData("address: 10.10.10.11\nprefix: 24\nmac: 'eth0'\n", "MAC address 'eth0' is not six colon-separated hex bytes")]
    [InlineData("prefix: 24\n", "address is missing")]
    public void A_malformed_node_file_is_an_input_error(string text, string message)
    {
        var error = Assert.Throws<InputException>(() => SiteNode.Parse(text, "site/node.yml"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("node.yml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applying_writes_the_file_reloads_networkd_and_waits_until_the_nic_holds_the_address()
    {
        var machine = new FakeMachine(_temp.Path);
        var node = SiteNode.Parse("address: 10.10.10.11\nprefix: 24\n", "node.yml");
        var polls = 0;

        // The address shows up only once networkd reconfigured the NIC, and a few polls later: the wait is for it, not a fixed time.
        IReadOnlyList<(string, IPAddress)> Addresses() =>
            machine.Scripted.Calls.Contains("networkctl reconfigure ens3") && ++polls > 3 ? [("ens3", IPAddress.Parse("10.10.10.11"))] : [("ens3", IPAddress.Parse("169.254.3.4"))];

        await StaticNetwork.ApplyAsync(machine, node, First, Addresses, TimeProvider.System, CancellationToken.None);

        Assert.Equal(["networkctl reload", "networkctl reconfigure ens3"], machine.Scripted.Calls);
        Assert.Equal(4, polls);
        Assert.Equal(StaticNetwork.Render(node, First), await File.ReadAllTextAsync(Path.Join(_temp.Path, NodeLayout.StaticNetwork)));

        // A second boot finds the file as it should be: nothing to reload.
        await StaticNetwork.ApplyAsync(machine, node, First, Addresses, TimeProvider.System, CancellationToken.None);
        Assert.Equal(2, machine.Scripted.Calls.Count);
    }

    [Fact]
    public void Wired_nics_are_read_from_sysfs_in_ifindex_order_without_virtual_ones()
    {
        void Nic(string name, int index, string type, string mac, bool device)
        {
            _temp.Write($"net/{name}/ifindex", $"{index}\n");
            _temp.Write($"net/{name}/type", $"{type}\n");
            _temp.Write($"net/{name}/address", $"{mac}\n");
            if (device)
            {
                Directory.CreateDirectory(_temp.File($"net/{name}/device"));
            }
        }

        Nic("lo", 1, "772", "00:00:00:00:00:00", false);
        Nic("enp0s4", 3, "1", "52:54:00:00:00:0b", true);
        Nic("enp0s3", 2, "1", "52:54:00:00:00:0a", true);
        Nic("br0", 4, "1", "52:54:00:00:00:0c", false);

        Assert.Equal([new WiredNic("enp0s3", "52:54:00:00:00:0a"), new WiredNic("enp0s4", "52:54:00:00:00:0b")], WiredNic.Read(_temp.File("net")));
    }
}

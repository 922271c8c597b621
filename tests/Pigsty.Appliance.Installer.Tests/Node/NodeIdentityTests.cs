using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;

namespace Pigsty.Appliance.Installer.Tests.Node;

public sealed class NodeIdentityTests
{
    private const string Routes = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        + "ens4\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
        + "ens3\t00000000\t0202000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";

    private static readonly PigstyInventory Inventory = InventoryLoader.Parse(TestNode.SingleNode, "pigsty.yml");

    [Fact]
    public void Primary_address_is_on_the_default_route_interface() =>
        Assert.Equal("10.0.2.15", NodeIdentity.PrimaryAddress(Routes, [("ens4", IPAddress.Parse("10.0.2.99")), ("ens3", IPAddress.Parse("10.0.2.15"))])!.ToString());

    [Fact]
    public void Without_a_default_route_the_first_address_is_primary() =>
        Assert.Equal("10.0.2.99", NodeIdentity.PrimaryAddress("Iface\tDestination\n", [("ens4", IPAddress.Parse("10.0.2.99"))])!.ToString());

    [Fact]
    public void A_listed_address_identifies_the_host() =>
        Assert.Equal("10.10.10.10", NodeIdentity.Identify(Inventory, [IPAddress.Parse("192.168.1.5"), IPAddress.Parse("10.10.10.10")]).Address.ToString());

    [Fact]
    public void An_unlisted_node_is_told_which_addresses_were_compared()
    {
        var error = Assert.Throws<InputException>(() => NodeIdentity.Identify(Inventory, [IPAddress.Parse("10.0.2.15")]));

        Assert.Equal("pigsty.yml: none of this node's addresses (10.0.2.15) is a host of the inventory (10.10.10.10)", error.Message);
    }
}

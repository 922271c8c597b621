using System.Net;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Network;

/// <summary>The test network's DHCP: dnsmasq answering only reserved MACs on the namespace's bridge, and the leases read back.</summary>
public sealed class TestDhcpTests
{
    private static readonly IReadOnlyList<(Imaging.Qemu.TapNic Nic, IPAddress Address)> Reservations =
    [
        (TestNetwork.Tap(0, IPAddress.Parse("10.10.10.11")), IPAddress.Parse("10.10.10.11")),
        (TestNetwork.Tap(1, IPAddress.Parse("10.10.10.12")), IPAddress.Parse("10.10.10.12")),
    ];

    [Fact]
    public void Dnsmasq_serves_dhcp_only_on_the_bridge_to_the_reserved_macs_with_no_router_or_dns()
    {
        var spec = TestDhcp.Command("br0", Reservations, "/w/leases", "/w/pid");

        Assert.Equal("dnsmasq", spec.FileName);
        Assert.Contains("--port=0", spec.Arguments);
        Assert.Contains("--interface=br0", spec.Arguments);
        Assert.Contains("--bind-interfaces", spec.Arguments);
        Assert.Contains("--conf-file=/dev/null", spec.Arguments);
        // A static-only range: no pool, so an unknown MAC gets nothing.
        Assert.Contains("--dhcp-range=10.10.10.0,static,255.255.255.0,12h", spec.Arguments);
        Assert.Contains("--dhcp-host=52:54:00:0a:0a:0b,10.10.10.11", spec.Arguments);
        Assert.Contains("--dhcp-host=52:54:00:0a:0a:0c,10.10.10.12", spec.Arguments);
        Assert.Contains("--dhcp-option=option:router", spec.Arguments);
        Assert.Contains("--dhcp-option=option:dns-server", spec.Arguments);
    }

    [Fact]
    public async Task Real_dnsmasq_accepts_the_options()
    {
        var spec = TestDhcp.Command("br0", Reservations, "/tmp/leases", "/tmp/pid");

        var result = await RealTool.CheckAsync("dnsmasq", ["--test", .. spec.Arguments]);

        Assert.Contains("syntax check OK", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void No_reservation_is_refused() =>
        Assert.Throws<ArgumentException>(() => TestDhcp.Command("br0", [], "/w/leases", "/w/pid"));

    [Fact]
    public void Leases_map_each_mac_to_its_latest_address()
    {
        const string text = "1764600000 52:54:00:0a:0a:0b 10.10.10.11 debian 01:52:54:00:0a:0a:0b\n"
            + "1764600001 52:54:00:0A:0A:0C 10.10.10.12 * *\n"
            + "broken line\n";

        var leases = TestDhcp.Leases(text);

        Assert.Equal("10.10.10.11", leases["52:54:00:0a:0a:0b"]);
        Assert.Equal("10.10.10.12", leases["52:54:00:0a:0a:0c"]);
        Assert.Equal(2, leases.Count);
    }
}

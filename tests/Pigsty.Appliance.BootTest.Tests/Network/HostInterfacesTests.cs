using Pigsty.Appliance.BootTest.Network;

namespace Pigsty.Appliance.BootTest.Tests.Network;

/// <summary>The host's interfaces before and after a run, from <c>ip -br addr</c>.</summary>
public sealed class HostInterfacesTests
{
    private const string Before = """
        lo               UNKNOWN        127.0.0.1/8 ::1/128
        eth0             UP             192.0.2.2/24 fd00::2/64 fe80::fc:ff:fe00:1/64
        """;

    [Fact]
    public void A_state_change_or_a_link_local_address_is_no_change()
    {
        var after = Before.Replace("UP  ", "DOWN", StringComparison.Ordinal).Replace(" fe80::fc:ff:fe00:1/64", "", StringComparison.Ordinal);

        Assert.True(HostInterfaces.Compare(HostInterfaces.Parse(Before), HostInterfaces.Parse(after), "after").Passed);
        Assert.Equal(["eth0 192.0.2.2/24 fd00::2/64", "lo 127.0.0.1/8 ::1/128"], HostInterfaces.Parse(Before));
    }

    [Fact]
    public void A_new_address_or_interface_on_the_host_fails_and_is_named()
    {
        var after = Before.Replace("192.0.2.2/24", "192.0.2.2/24 10.10.10.1/24", StringComparison.Ordinal) + "\ntap0             DOWN           \n";

        var check = HostInterfaces.Compare(HostInterfaces.Parse(Before), HostInterfaces.Parse(after), "after");

        Assert.False(check.Passed);
        Assert.Contains("added: eth0 192.0.2.2/24 10.10.10.1/24 fd00::2/64; tap0", check.Detail, StringComparison.Ordinal);
    }
}

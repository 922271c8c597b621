using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

/// <summary>Host ports for hostfwd: distinct within one VM (QEMU refuses a duplicate rule) and free when handed out.</summary>
public sealed class PortForwardTests
{
    [Fact]
    public void Many_guest_ports_get_distinct_free_host_ports()
    {
        int[] guest = [.. Enumerable.Range(1, 200)];

        var forwards = PortForward.ToFreeHostPorts(guest);

        Assert.Equal(guest, forwards.Select(f => f.GuestPort));
        Assert.Equal(forwards.Count, forwards.Select(f => f.HostPort).Distinct().Count());
        foreach (var forward in forwards.Take(20))
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, forward.HostPort);
            listener.Start();
        }
    }
}

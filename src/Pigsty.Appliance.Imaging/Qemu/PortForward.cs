using System.Net;
using System.Net.Sockets;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>A TCP port of the guest reachable from the host at 127.0.0.1:<see cref="HostPort"/> (QEMU user networking hostfwd).</summary>
public sealed record PortForward(int HostPort, int GuestPort)
{
    /// <summary>Forwards <paramref name="guestPort"/> to a loopback port free right now.</summary>
    public static PortForward ToFreeHostPort(int guestPort) => new(FreeLoopbackPort(), guestPort);

    /// <summary>A TCP port on 127.0.0.1 nobody listens on at the moment.</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>A TCP port of the guest reachable from the host at 127.0.0.1:<see cref="HostPort"/> (QEMU user networking hostfwd).</summary>
public sealed record PortForward(int HostPort, int GuestPort)
{
    /// <summary>Forwards <paramref name="guestPort"/> to a loopback port free right now.</summary>
    public static PortForward ToFreeHostPort(int guestPort) => ToFreeHostPorts([guestPort])[0];

    /// <summary>Forwards each guest port to its own loopback port free right now: every probe stays bound until all are picked,
    /// so the kernel cannot hand out one port twice (QEMU refuses a duplicate hostfwd rule).</summary>
    public static IReadOnlyList<PortForward> ToFreeHostPorts(IReadOnlyList<int> guestPorts)
    {
        ArgumentNullException.ThrowIfNull(guestPorts);
        var probes = new List<TcpListener>();
        try
        {
            foreach (var _ in guestPorts)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probes.Add(probe);
                probe.Start();
            }

            return [.. guestPorts.Zip(probes, (guest, probe) => new PortForward(((IPEndPoint)probe.LocalEndpoint).Port, guest))];
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Dispose();
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Pigsty.Appliance.Testing;

/// <summary>TCP ports on loopback for servers a test starts.</summary>
public static class FreePort
{
    /// <summary>A port free on 127.0.0.1 right now; another process may still take it before the test binds it.</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

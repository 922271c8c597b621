using System.Net;
using System.Net.Sockets;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>Node addresses as they appear in URLs and <c>host:port</c> targets.</summary>
public static class HostAddress
{
    /// <summary>The address as a URL host: IPv6 in brackets, IPv4 as is.</summary>
    public static string ForUri(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}

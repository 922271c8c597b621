using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>Strict IP parsing: <see cref="IPAddress.TryParse(string, out IPAddress)"/> accepts "10" as 0.0.0.10, we do not.</summary>
public static class IpAddresses
{
    /// <summary>Parses a dotted-quad IPv4 address or an IPv6 address.</summary>
    public static bool TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            return false;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)
                || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }

        address = IPAddress.Parse(text);
        return true;
    }
}

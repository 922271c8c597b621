using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>
/// The cluster's L2 VIP (<c>pg_vip_enabled</c>, <c>pg_vip_address</c> as <c>&lt;ipv4&gt;/&lt;mask&gt;</c>, <c>pg_vip_interface</c>),
/// held by whichever member is Patroni's leader.
/// </summary>
/// <param name="Interface">The interface asked for; null or <c>auto</c>: the one holding the node's address, found when the step runs.</param>
public sealed record PgVip(IPAddress Address, int Prefix, string? Interface)
{
    /// <summary>The VIP when <c>pg_vip_enabled</c> is true; an IPv4 address is required (Pigsty's default 127.0.0.1/24 is refused).</summary>
    public static PgVip? From(VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        if (!vars.Bool("pg_vip_enabled", false))
        {
            return null;
        }

        var field = vars.Require("pg_vip_address", "pg_vip_enabled is true");
        var text = field.AsString();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var prefix = 24;
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix is < 1 or > 32)))
        {
            throw field.Error($"pg_vip_address '{text}' is not an IPv4 address with a mask (e.g. 10.10.10.2/24)");
        }

        if (IPAddress.IsLoopback(address))
        {
            throw field.Error($"pg_vip_address {text} is a loopback address: set the VIP clients should use on the cluster's LAN");
        }

        return new PgVip(address, prefix, vars.Find("pg_vip_interface")?.AsString());
    }

    /// <summary><c>address/prefix</c>, as <c>ip addr</c> takes it.</summary>
    public string Cidr => $"{Address}/{Prefix.ToString(CultureInfo.InvariantCulture)}";
}

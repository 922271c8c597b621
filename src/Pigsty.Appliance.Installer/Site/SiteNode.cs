using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>
/// A node's identity and network from its seed volume (<c>site/node.yml</c>): the inventory address it is, and, when the site has no
/// DHCP, the prefix, gateway and DNS servers it takes statically (on the NIC with <see cref="Mac"/>, else its first wired NIC).
/// </summary>
public sealed partial record SiteNode(IPAddress Address, int? Prefix = null, IPAddress? Gateway = null, IReadOnlyList<IPAddress>? Dns = null, string? Mac = null)
{
    /// <summary>True when the node takes its address statically rather than by DHCP.</summary>
    public bool IsStatic => Prefix is not null;

    /// <summary>The DNS servers (none when not given).</summary>
    public IReadOnlyList<IPAddress> DnsServers => Dns ?? [];

    /// <summary>Checks the settings: an IPv4 address, a prefix of 1-32, a gateway inside the subnet, DNS only with a prefix.</summary>
    public static SiteNode Create(IPAddress address, int? prefix, IPAddress? gateway, IReadOnlyList<IPAddress> dns, string? mac, string source)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(dns);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new InputException(source, $"{address} is not an IPv4 address; static addressing is IPv4 only");
        }

        if (prefix is null && (gateway is not null || dns.Count > 0))
        {
            throw new InputException(source, "a gateway or DNS server needs a prefix: without one the node keeps DHCP");
        }

        if (prefix is < 1 or > 32)
        {
            throw new InputException(source, $"prefix {prefix} is not between 1 and 32");
        }

        if (gateway is not null && (gateway.AddressFamily != AddressFamily.InterNetwork || !SameSubnet(address, gateway, prefix!.Value) || gateway.Equals(address)))
        {
            throw new InputException(source, $"gateway {gateway} is not another address of {address}/{prefix}'s subnet");
        }

        if (dns.FirstOrDefault(d => d.AddressFamily != AddressFamily.InterNetwork) is { } v6)
        {
            throw new InputException(source, $"DNS server {v6} is not an IPv4 address");
        }

        if (mac is not null && !MacPattern().IsMatch(mac))
        {
            throw new InputException(source, $"MAC address '{mac}' is not six colon-separated hex bytes");
        }

        return new SiteNode(address, prefix, gateway, dns, mac?.ToLowerInvariant());
    }

    /// <summary>Reads <c>site/node.yml</c>; a malformed file is an input error naming it.</summary>
    public static SiteNode Parse(string text, string path)
    {
        var root = YamlReader.Parse(text, path).AsMapping();
        IPAddress? Ip(YamlValue? value) => value is null ? null
            : IpAddresses.TryParse(value.AsString(), out var ip) ? ip : throw value.Error($"'{value.AsString()}' is not an IP address");
        var address = Ip(root.Find("address")) ?? throw root.Error("address is missing");
        var dns = root.Find("dns") is { } list ? list.AsSequence().Items.Select(i => Ip(i)!).ToList() : [];
        return Create(address, root.Find("prefix")?.AsInt(), Ip(root.Find("gateway")), dns, root.Find("mac")?.AsString(), path);
    }

    /// <summary>The file's text: YAML, one field a line, \n endings.</summary>
    public string Render()
    {
        var text = new StringBuilder("# written by pigsty-appliance site: this node's identity (and static network); no secret\n");
        text.Append("address: ").Append(Address).Append('\n');
        if (Prefix is { } prefix)
        {
            text.Append("prefix: ").Append(prefix).Append('\n');
        }

        if (Gateway is not null)
        {
            text.Append("gateway: ").Append(Gateway).Append('\n');
        }

        if (DnsServers.Count > 0)
        {
            text.Append("dns: [").Append(string.Join(", ", DnsServers)).Append("]\n");
        }

        if (Mac is not null)
        {
            text.Append("mac: '").Append(Mac).Append("'\n");
        }

        return text.ToString();
    }

    private static bool SameSubnet(IPAddress a, IPAddress b, int prefix)
    {
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (ToUInt(a) & mask) == (ToUInt(b) & mask);
    }

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
    }

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}\\z")]
    private static partial Regex MacPattern();
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>
/// Reads a NoCloud <c>network-config</c> (version 2) into the static addressing first boot already applies for site material:
/// one ethernet with one IPv4 address (the node's inventory address), its gateway and DNS servers, on the NIC its
/// <c>match: macaddress</c> names (else the first wired NIC). Ethernets on DHCP leave the node on DHCP.
/// </summary>
public static class NoCloudNetwork
{
    private static readonly string[] Supported = ["version", "ethernets", "renderer"];

    /// <summary>The node's static addressing, or null when every ethernet keeps DHCP; what cannot be honoured is an input error naming the field.</summary>
    public static SiteNode? Parse(string text, string path)
    {
        var root = YamlReader.Parse(text, path).AsMapping();

        // cloud-init takes the version 2 document bare or under a top-level 'network:' key.
        var network = root.Find("network") is { } wrapped ? wrapped.AsMapping() : root;
        var version = network.Find("version") ?? throw network.Error("version is missing: only network-config version 2 is read");
        if (version.AsInt() != 2)
        {
            throw version.Error($"version {version.AsString()} is not read: only network-config version 2 (ethernets) is");
        }

        if (network.Entries.FirstOrDefault(e => !Supported.Contains(e.Key)) is { } other)
        {
            throw other.Value.Error($"'{other.Key}' is not supported: only ethernets (one static IPv4 address, or DHCP) are read");
        }

        var statics = new List<(string Id, YamlMapping Ethernet, IPAddress Address, int Prefix)>();
        foreach (var entry in network.Find("ethernets")?.AsMapping().Entries ?? [])
        {
            var ethernet = entry.Value.AsMapping();
            foreach (var item in ethernet.Find("addresses")?.AsSequence().Items ?? [])
            {
                var (address, prefix) = Cidr(item);
                statics.Add((entry.Key, ethernet, address, prefix));
            }
        }

        if (statics.Count == 0)
        {
            return null;
        }

        if (statics.Count > 1)
        {
            throw statics[1].Ethernet.Error($"{statics.Count} static addresses ({string.Join(", ", statics.Select(s => $"{s.Address}/{s.Prefix} on {s.Id}"))}): "
                + "a node takes one, its inventory address");
        }

        var (id, eth, ip, length) = statics[0];
        var gateway = Ip(eth.Find("gateway4"));
        foreach (var route in eth.Find("routes")?.AsSequence().Items ?? [])
        {
            var map = route.AsMapping();
            var to = map.Find("to")?.AsString();
            if (to is not ("default" or "0.0.0.0/0"))
            {
                throw route.Error($"route to '{to}' is not supported: only the default route (to: default or 0.0.0.0/0) is read");
            }

            var via = Ip(map.Find("via")) ?? throw route.Error("the default route has no 'via'");
            if (gateway is not null && !gateway.Equals(via))
            {
                throw route.Error($"the default route via {via} contradicts gateway4 {gateway}");
            }

            gateway = via;
        }

        var dns = (eth.Find("nameservers") as YamlMapping)?.Find("addresses")?.AsSequence().Items.Select(i => Ip(i)!).ToList() ?? [];
        var mac = (eth.Find("match") as YamlMapping)?.Find("macaddress")?.AsString();
        return SiteNode.Create(ip, length, gateway, dns, mac, $"{path} ethernets.{id}");
    }

    private static (IPAddress Address, int Prefix) Cidr(YamlValue value)
    {
        var text = value.AsString();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpAddresses.TryParse(text[..slash], out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            throw value.Error($"'{text}' is not an address with its prefix (10.10.10.10/24)");
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? (address, prefix)
            : throw value.Error($"{address} is not an IPv4 address; static addressing is IPv4 only");
    }

    private static IPAddress? Ip(YamlValue? value) =>
        value is null ? null
        : IpAddresses.TryParse(value.AsString(), out var ip) ? ip
        : throw value.Error($"'{value.AsString()}' is not an IP address");
}

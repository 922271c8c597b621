using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>
/// <c>/etc/nftables.conf</c>, loaded at boot by Debian's nftables.service: our own table <c>inet pigsty</c>, replaced as a whole
/// on every load (other tables, e.g. a container runtime's, are left alone).
/// </summary>
public static class NftablesConfig
{
    public const string Path = "/etc/nftables.conf";

    /// <summary>Our table's name (family inet: one set of rules for IPv4 and IPv6).</summary>
    public const string Table = "pigsty";

    /// <summary>The ruleset for <paramref name="settings"/> (zone: the filter; off: only the removal of an earlier table).</summary>
    public static string Render(FirewallSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder("#!/usr/sbin/nft -f\n")
            .Append("# written by pigsty-appliance (NODE): node_firewall_mode ").Append(settings.Mode).Append(".\n")
            .Append("# Only table inet ").Append(Table).Append(" is ours; declaring it before deleting it makes the delete safe on a first load,\n")
            .Append("# and the whole file is one transaction: the new rules replace the old ones at once.\n")
            .Append("table inet ").Append(Table).Append('\n')
            .Append("delete table inet ").Append(Table).Append('\n');
        if (settings.Mode != FirewallSettings.Zone)
        {
            return text.ToString();
        }

        text.Append('\n')
            .Append("table inet ").Append(Table).Append(" {\n")
            .Append("    # the site's networks: node_firewall_intranet and every host of the inventory\n");
        Set(text, "site_v4", "ipv4_addr", settings.Site.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(Network), interval: true);
        Set(text, "site_v6", "ipv6_addr", settings.Site.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).Select(Network), interval: true);
        text.Append("    # what this node's modules serve to the site: ")
            .AppendJoin(", ", settings.Ports.Select(p => $"{p.Port.Component} {p.Number}{(p.Port.Udp ? "/udp" : "")}").Distinct()).Append('\n');
        Set(text, "site_tcp", "inet_service", settings.SiteTcp.Select(Port), interval: false);
        Set(text, "site_udp", "inet_service", settings.SiteUdp.Select(Port), interval: false);
        text.Append("    # node_firewall_public_port: open to anyone\n");
        Set(text, "public_tcp", "inet_service", settings.PublicPorts.Select(Port), interval: false);
        return text.Append('\n')
            .Append("    chain input {\n")
            .Append("        type filter hook input priority filter; policy drop;\n")
            .Append("        ct state established,related accept\n")
            .Append("        ct state invalid drop\n")
            .Append("        iif lo accept\n")
            .Append("        # ping (blackbox probes every node), path MTU discovery, IPv6 neighbour discovery\n")
            .Append("        meta l4proto { icmp, ipv6-icmp } accept\n")
            .Append("        # DHCP and DHCPv6 answers to this node's client\n")
            .Append("        udp sport 67 udp dport 68 accept\n")
            .Append("        udp sport 547 udp dport 546 accept\n")
            .Append("        tcp dport @public_tcp accept\n")
            .Append("        ip saddr @site_v4 tcp dport @site_tcp accept\n")
            .Append("        ip saddr @site_v4 udp dport @site_udp accept\n")
            .Append("        ip6 saddr @site_v6 tcp dport @site_tcp accept\n")
            .Append("        ip6 saddr @site_v6 udp dport @site_udp accept\n")
            .Append(settings.Vrrp ? "        # VRRP adverts of the node VIP's keepalived peers (vip_enabled)\n        ip saddr @site_v4 meta l4proto 112 accept\n" : "")
            .Append("    }\n")
            .Append("}\n")
            .ToString();
    }

    private static void Set(StringBuilder text, string name, string type, IEnumerable<string> elements, bool interval)
    {
        var list = elements.ToList();
        text.Append("    set ").Append(name).Append(" {\n")
            .Append("        type ").Append(type).Append('\n');
        if (interval)
        {
            text.Append("        flags interval\n");
        }

        // An empty set takes no elements clause at all: nft rejects "elements = { }".
        if (list.Count > 0)
        {
            text.Append("        elements = { ").AppendJoin(", ", list).Append(" }\n");
        }

        text.Append("    }\n");
    }

    /// <summary>A single host as a bare address, a network in CIDR notation.</summary>
    private static string Network(IPNetwork network) =>
        network.PrefixLength == network.BaseAddress.GetAddressBytes().Length * 8 ? network.BaseAddress.ToString() : network.ToString();

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

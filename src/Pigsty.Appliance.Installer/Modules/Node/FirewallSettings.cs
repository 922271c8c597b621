using System.Globalization;
using System.Net;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>
/// The node's host firewall from Pigsty's parameters: <c>node_firewall_mode</c> (<c>zone</c>, <c>off</c>, <c>none</c>),
/// <c>node_firewall_intranet</c> (the site's networks) and <c>node_firewall_public_port</c> (open to anyone).
/// </summary>
/// <param name="Site">Who reaches the service ports: the intranet networks and every host of the inventory, overlaps merged.</param>
/// <param name="Ports">The ports the modules this node runs serve (their descriptors' <see cref="ServicePort"/>s, resolved).</param>
public sealed record FirewallSettings(string Mode, IReadOnlyList<IPNetwork> Site, IReadOnlyList<int> PublicPorts, IReadOnlyList<(ServicePort Port, int Number)> Ports)
{
    /// <summary>zone: the site's networks reach the documented ports, anyone the public ones, nothing else gets in.</summary>
    public const string Zone = "zone";

    /// <summary>off: no firewall of ours (a table left by an earlier run is removed).</summary>
    public const string Off = "off";

    /// <summary>none: the firewall is the site's business; we touch nothing.</summary>
    public const string None = "none";

    /// <summary>Pigsty's <c>node_firewall_intranet</c> default: the RFC 1918 networks.</summary>
    public static readonly IReadOnlyList<string> DefaultIntranet = ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"];

    /// <summary>VRRP (IP protocol 112) from the site is let in: keepalived's peers advertise the node VIP (<c>vip_enabled</c>).</summary>
    public bool Vrrp { get; init; }

    /// <summary>TCP ports open to the site, in order.</summary>
    public IReadOnlyList<int> SiteTcp => Ports.Where(p => !p.Port.Udp).Select(p => p.Number).Distinct().Order().ToList();

    /// <summary>UDP ports open to the site, in order.</summary>
    public IReadOnlyList<int> SiteUdp => Ports.Where(p => p.Port.Udp).Select(p => p.Number).Distinct().Order().ToList();

    /// <summary>Reads the settings for <paramref name="node"/>, which runs those of <paramref name="modules"/> the inventory gives it.</summary>
    public static FirewallSettings From(NodeContext node, IReadOnlyList<ModuleDescriptor> modules)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(modules);
        var vars = node.Vars;
        var mode = vars.String("node_firewall_mode", Zone);
        if (mode is not (Zone or Off or None))
        {
            throw vars.Require("node_firewall_mode", "").Error($"'{mode}' is not one of zone, off, none");
        }

        var intranet = vars.Find("node_firewall_intranet") is { } given
            ? given.AsSequence().Items.Select(i => IPNetwork.TryParse(i.AsString(), out var network)
                ? network
                : throw i.Error($"'{i.AsString()}' is not a network in CIDR notation (e.g. 10.0.0.0/8)")).ToList()
            : DefaultIntranet.Select(n => IPNetwork.Parse(n)).ToList();
        var hosts = node.Inventory.Hosts.Select(h => new IPNetwork(h.Address, h.Address.GetAddressBytes().Length * 8));
        var publicPorts = vars.Find("node_firewall_public_port") is { } open
            ? open.AsSequence().Items.Select(i => i.AsInt() is var port && port is > 0 and < 65536 ? port : throw i.Error($"{i.AsString()} is not a TCP port")).ToList()
            : [22, 80, 443];
        return new FirewallSettings(mode, Merge(intranet.Concat(hosts)), publicPorts.Distinct().Order().ToList(),
            ServicePort.ServedBy(modules, node.Inventory, node.Address, vars))
        {
            Vrrp = vars.Bool("vip_enabled", false),
        };
    }

    /// <summary>The networks without those another one already covers (nftables refuses overlapping intervals), in order.</summary>
    public static IReadOnlyList<IPNetwork> Merge(IEnumerable<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var all = networks.Distinct().ToList();
        return all.Where(n => !all.Any(o => !o.Equals(n) && o.PrefixLength <= n.PrefixLength && o.Contains(n.BaseAddress)))
            .OrderBy(n => n.BaseAddress.AddressFamily)
            .ThenBy(n => n.BaseAddress.GetAddressBytes(), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ThenBy(n => n.PrefixLength)
            .ToList();
    }

    /// <summary>One line for the plan: what is open to whom.</summary>
    public string Describe() => Mode switch
    {
        Zone => string.Create(CultureInfo.InvariantCulture,
            $"nftables: tcp {string.Join(',', SiteTcp)}{(SiteUdp.Count > 0 ? $" udp {string.Join(',', SiteUdp)}" : "")}{(Vrrp ? " vrrp" : "")} from {string.Join(", ", Site)}; tcp {string.Join(',', PublicPorts)} from anywhere; the rest dropped"),
        Off => "nftables: node_firewall_mode off, no firewall of ours",
        _ => "node_firewall_mode none: the firewall is left as it is",
    };
}

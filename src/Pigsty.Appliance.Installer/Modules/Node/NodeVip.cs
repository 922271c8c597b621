using System.Net;
using System.Net.Sockets;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>
/// Pigsty's node VIP (keepalived, VRRP over unicast): <c>vip_enabled</c>, <c>vip_address</c>, <c>vip_vrid</c>, <c>vip_role</c>,
/// <c>vip_preempt</c>, <c>vip_interface</c> and <c>vip_auth_pass</c>; the peers are the other hosts with the same <c>vip_address</c>.
/// </summary>
/// <param name="Cluster"><c>node_cluster</c>: the VRRP instance's and router's name.</param>
/// <param name="Interface">As asked for; null or <c>auto</c>: the interface holding the node's address, found when the step runs.</param>
public sealed record NodeVip(string Cluster, IPAddress Self, string Address, int Vrid, bool Master, bool Preempt, string? Interface, string AuthPass,
    IReadOnlyList<IPAddress> Peers)
{
    /// <summary>The VIP when <c>vip_enabled</c> is true; <c>vip_address</c> and <c>vip_vrid</c> are required, as in Pigsty.</summary>
    public static NodeVip? From(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var vars = node.Vars;
        if (!vars.Bool("vip_enabled", false))
        {
            return null;
        }

        var addressField = vars.Require("vip_address", "vip_enabled is true");
        var address = addressField.AsString();
        if (!IPAddress.TryParse(address.Split('/')[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            throw addressField.Error($"vip_address '{address}' is not an IPv4 address");
        }

        var vridField = vars.Require("vip_vrid", "vip_enabled is true (a VRRP router id, unique on the LAN)");
        var vrid = vridField.AsInt();
        if (vrid is < 1 or > 254)
        {
            throw vridField.Error($"vip_vrid {vrid} is not between 1 and 254");
        }

        var role = vars.String("vip_role", "backup");
        if (!role.Equals("master", StringComparison.OrdinalIgnoreCase) && !role.Equals("backup", StringComparison.OrdinalIgnoreCase))
        {
            throw vars.Require("vip_role", "").Error($"vip_role '{role}' is not master or backup");
        }

        var cluster = vars.String("node_cluster", "nodes");
        var pass = vars.String("vip_auth_pass", "");
        var peers = node.Inventory.Hosts
            .Where(h => !h.Address.Equals(node.Address) && h.Vars.Find("vip_address")?.AsString() == address)
            .Select(h => h.Address).ToList();
        return new NodeVip(cluster, node.Address, address, vrid, role.Equals("master", StringComparison.OrdinalIgnoreCase),
            vars.Bool("vip_preempt", false), vars.Find("vip_interface")?.AsString(), pass.Length > 0 ? pass : $"{cluster}-{vrid}", peers);
    }
}

using System.Globalization;
using System.Text;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>/etc/keepalived/keepalived.conf for the node VIP: one VRRP instance per node cluster, unicast to the peers (as in Pigsty).</summary>
public static class KeepalivedConfig
{
    public const string Path = "/etc/keepalived/keepalived.conf";

    /// <summary>Root only: it holds the VRRP password.</summary>
    public static readonly FileSpec Spec = FileSpec.Secret;

    /// <summary>The configuration for <paramref name="vip"/> on <paramref name="interfaceName"/> (resolved on the node).</summary>
    public static string Render(NodeVip vip, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(vip);
        var text = new StringBuilder()
            .Append("# written by pigsty-appliance (NODE): VIP ").Append(vip.Address).Append(" of node cluster ").Append(vip.Cluster)
            .Append(", vip_vrid ").Append(I(vip.Vrid)).Append('\n')
            .Append("global_defs {\n    router_id ").Append(vip.Cluster).Append("\n    enable_script_security\n    script_user root\n}\n\n")
            .Append("vrrp_instance ").Append(vip.Cluster).Append(" {\n")
            .Append("    state ").Append(vip.Master ? "MASTER" : "BACKUP").Append('\n')
            .Append("    interface ").Append(interfaceName).Append('\n')
            .Append("    virtual_router_id ").Append(I(vip.Vrid)).Append('\n')
            .Append("    priority ").Append(vip.Master ? "128" : "100").Append('\n');
        if (!vip.Preempt)
        {
            // keepalived ignores nopreempt in state MASTER (and keepalived -t fails on the warning): only a backup can be told so.
            text.Append(vip.Master
                ? "    # vip_preempt false: keepalived cannot keep a master from taking the VIP back (nopreempt needs state BACKUP)\n"
                : "    # vip_preempt false: a node coming back does not take the VIP from the one holding it\n    nopreempt\n");
        }

        text.Append("    advert_int 1\n")
            .Append("    unicast_src_ip ").Append(vip.Self).Append('\n')
            .Append("    unicast_peer {\n");
        foreach (var peer in vip.Peers)
        {
            text.Append("        ").Append(peer).Append('\n');
        }

        return text.Append("    }\n")
            .Append("    # VRRP PASS authentication uses 8 characters: keepalived would cut a longer vip_auth_pass (and warn)\n")
            .Append("    authentication {\n        auth_type PASS\n        auth_pass ").Append(vip.AuthPass.Length > 8 ? vip.AuthPass[..8] : vip.AuthPass).Append("\n    }\n")
            .Append("    virtual_ipaddress {\n        ").Append(vip.Address).Append("\n    }\n}\n")
            .ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}

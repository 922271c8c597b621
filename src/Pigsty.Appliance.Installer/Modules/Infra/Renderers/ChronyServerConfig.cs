using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>INFRA's NTP server role, a file in chrony's confdir next to NODE's client configuration.</summary>
public static class ChronyServerConfig
{
    public const string Path = "/etc/chrony/conf.d/pigsty-server.conf";

    /// <summary>Serves time to <paramref name="clients"/> (CIDRs), from the local clock when no upstream source is reachable.</summary>
    public static string Render(IReadOnlyList<string> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var text = new StringBuilder("# written by pigsty-appliance (INFRA): this node is the site's NTP server\n");
        foreach (var client in clients)
        {
            text.Append("allow ").Append(client).Append('\n');
        }

        return text.Append("# an offline site has no better clock: serve ours (at a stratum that any real source outranks)\n")
            .Append("local stratum 10\n")
            .ToString();
    }
}

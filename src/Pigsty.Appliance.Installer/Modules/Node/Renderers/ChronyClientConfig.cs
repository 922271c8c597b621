using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary><c>/etc/chrony/chrony.conf</c>: the node's time sources; other roles (INFRA's NTP server) are files in its confdir.</summary>
public static class ChronyClientConfig
{
    public const string Path = "/etc/chrony/chrony.conf";

    /// <summary>Where other modules add chrony directives as separate <c>*.conf</c> files.</summary>
    public const string ConfDir = "/etc/chrony/conf.d";

    /// <summary>The configuration for these source directives (e.g. <c>server 10.10.10.10 iburst</c>).</summary>
    public static string Render(IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var text = new StringBuilder("# written by pigsty-appliance (NODE); change node_ntp_servers in the inventory instead\n\n");
        if (sources.Count == 0)
        {
            text.Append("# No time source: this node is the site's time source (INFRA serves its clock, see conf.d).\n");
        }

        foreach (var source in sources)
        {
            text.Append(source).Append('\n');
        }

        return text.Append('\n')
            .Append("# Roles added by other modules, e.g. INFRA's NTP server (allow, local stratum).\n")
            .Append("confdir ").Append(ConfDir).Append('\n')
            .Append("sourcedir /etc/chrony/sources.d\n\n")
            .Append("driftfile /var/lib/chrony/chrony.drift\n")
            .Append("logdir /var/log/chrony\n")
            .Append("maxupdateskew 100.0\n")
            .Append("# Keep the hardware clock in step, and step the clock in the first three updates if it is off by more than 1 s.\n")
            .Append("rtcsync\n")
            .Append("makestep 1 3\n")
            .Append("leapsectz right/UTC\n")
            .ToString();
    }
}

using System.Text;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>dnsmasq as the site's DNS for Pigsty's names: records are hosts-format files in <see cref="NodePaths.DnsRecords"/>.</summary>
public static class DnsmasqConfig
{
    public const string Path = "/etc/dnsmasq.conf";

    /// <summary>INFRA's own records (<c>dns_records</c>), one file among the modules' record files.</summary>
    public const string RecordsPath = NodePaths.DnsRecords + "/infra";

    /// <summary>
    /// The configuration. <c>bind-dynamic</c> with explicit addresses (loopback and the node's) instead of the wildcard, so a
    /// resolver on another loopback address (systemd-resolved's stub on 127.0.0.53:53) does not collide with us, and an
    /// address that comes up after dnsmasq started is still served.
    /// <c>hostsdir</c> rather than <c>addn-hosts</c>: files that modules add later are read without a restart.
    /// </summary>
    public static string Render(InfraSettings settings, string recordsDirectory = NodePaths.DnsRecords)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA): DNS for the site's names (")
            .Append(settings.PortalDomain).Append(", modules' records)\n")
            .Append("port=").Append(settings.DnsPort).Append('\n')
            .Append("listen-address=127.0.0.1,").Append(settings.Address).Append('\n')
            .Append("# bind these addresses only (not the wildcard): systemd-resolved's stub on 127.0.0.53 may keep its port 53\n")
            .Append("bind-dynamic\n")
            .Append("# records: hosts-format files, one per module or cluster; new and changed files are picked up on the fly\n")
            .Append("hostsdir=").Append(recordsDirectory).Append('\n')
            .Append("# answer from those records only, not from this node's /etc/hosts\n")
            .Append("no-hosts\n")
            .Append("# never forward plain names or private reverse lookups: the site is offline, an upstream would only time out\n")
            .Append("domain-needed\n")
            .Append("bogus-priv\n")
            .Append("cache-size=1000\n")
            .Append("user=dnsmasq\n")
            .Append("group=nogroup\n")
            .Append("pid-file=/run/dnsmasq/dnsmasq.pid\n")
            .ToString();
    }

    /// <summary>INFRA's records file in hosts format.</summary>
    public static string RenderRecords(IReadOnlyList<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder("# written by pigsty-appliance (INFRA): dns_records from the inventory\n");
        foreach (var record in records)
        {
            text.Append(record).Append('\n');
        }

        return text.ToString();
    }
}

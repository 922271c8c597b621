



namespace Pigsty.Appliance.Installer.Shared;

/// <summary>Where modules meet: each module adds its own files to these directories and never edits another module's file.</summary>
/// <remarks>Paths the image and the boot tests rely on too (repo, status, credentials, installer) are in <c>Core.Contract.NodeLayout</c>.</remarks>
public static class NodePaths
{
    /// <summary>Scrape target lists, <c>&lt;job&gt;/&lt;name&gt;.yml</c> in file_sd format; VictoriaMetrics (INFRA) reads them all.</summary>
    public const string ScrapeTargets = "/etc/pigsty/targets";

    /// <summary>vmalert rule files, <c>&lt;module&gt;.yml</c>; INFRA's vmalert loads every file here.</summary>
    public const string AlertRules = "/etc/pigsty/rules";

    /// <summary>HAProxy service files, <c>&lt;name&gt;.cfg</c>; NODE's haproxy loads this directory after haproxy.cfg.</summary>
    public const string HaproxyServices = "/etc/haproxy/conf.d";

    /// <summary>DNS records in hosts format, one file per module or cluster; INFRA's dnsmasq reads them (addn-hosts).</summary>
    public const string DnsRecords = "/etc/pigsty/dns";

    /// <summary>
    /// CA and service certificates: <c>ca.crt</c>, <c>ca.key</c> (root-only, on the admin node only), <c>&lt;service&gt;.crt</c>/<c>.key</c>
    /// (on other nodes: the site material issued for them, which they cannot issue themselves).
    /// </summary>
    public const string Pki = "/etc/pki";
}

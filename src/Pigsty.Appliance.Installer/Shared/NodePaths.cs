namespace Pigsty.Appliance.Installer.Shared;

/// <summary>Where modules meet: each module adds its own files to these directories and never edits another module's file.</summary>
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

    /// <summary>The bundled repository on the admin node.</summary>
    public const string Repo = "/www/pigsty";

    /// <summary>Root of the portal served by nginx.</summary>
    public const string Www = "/www";

    /// <summary>Secrets generated at first boot (see <c>Credentials</c>).</summary>
    public const string CredentialsFile = "/etc/pigsty/credentials.yml";

    /// <summary>Install status read by the portal, the console banner and boot tests.</summary>
    public const string StatusFile = "/var/lib/pigsty/status.json";

    /// <summary>The self-contained pigsty-appliance on an appliance node (also serves small helpers such as the pgbouncer exporter).</summary>
    public const string InstallerBinary = "/opt/pigsty/bin/pigsty-appliance";

    /// <summary>Install log (also in the journal).</summary>
    public const string InstallLog = "/var/log/pigsty/install.log";
}

using System.Net;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>What INFRA configures on an infra node, read once from the inventory with Pigsty's parameter names and defaults.</summary>
/// <param name="DnsRecords">Records in hosts format (<c>dns_records</c>), <c>${admin_ip}</c> expanded.</param>
/// <param name="NtpClients">Networks allowed to use this node's NTP server (<c>node_firewall_intranet</c>, RFC 1918 by default).</param>
/// <param name="Nodes">Every inventory node with its name: blackbox pings them all (job <c>ping</c>).</param>
/// <param name="OtherNodeTargets">
/// NODE's target lists of the other nodes: each node writes its own list locally, where no VictoriaMetrics reads it unless it
/// is an infra node, so the infra node writes them from the inventory too (the same text NODE writes there).
/// </param>
/// <param name="Grafana">Grafana is in the bundle (else skipped, with a note).</param>
/// <param name="VictoriaLogs">VictoriaLogs is in the bundle (else skipped, with a note).</param>
/// <param name="PortalUsers">Who may log in to the portal (<c>nginx_users</c>, else <c>admin</c> with a generated password).</param>
public sealed record InfraSettings(
    string Hostname,
    IPAddress Address,
    string PortalDomain,
    int NginxPort,
    int NginxSslPort,
    bool DnsEnabled,
    int DnsPort,
    IReadOnlyList<string> DnsRecords,
    IReadOnlyList<string> NtpClients,
    int VmetricsPort,
    string ScrapeInterval,
    string ScrapeTimeout,
    string Retention,
    int VmalertPort,
    string EvaluationInterval,
    int AlertmanagerPort,
    int BlackboxPort,
    int HaproxyAdminPort,
    bool Grafana,
    int GrafanaPort,
    bool VictoriaLogs,
    int VlogsPort,
    IReadOnlyList<(IPAddress Address, string Name)> Nodes,
    IReadOnlyList<ScrapeTarget> OtherNodeTargets,
    IReadOnlyList<PortalUser> PortalUsers)
{
    /// <summary><c>vmetrics_enabled</c>: VictoriaMetrics (and so vmalert, which reads it).</summary>
    public bool VmetricsEnabled { get; init; } = true;

    /// <summary><c>vmalert_enabled</c> (and VictoriaMetrics to evaluate against).</summary>
    public bool VmalertEnabled { get; init; } = true;

    /// <summary><c>alertmanager_enabled</c>; without it vmalert evaluates rules and sends alerts nowhere.</summary>
    public bool AlertmanagerEnabled { get; init; } = true;

    /// <summary><c>blackbox_enabled</c>; without it nodes are not pinged.</summary>
    public bool BlackboxEnabled { get; init; } = true;

    /// <summary>The <c>infra_portal</c> entries with a domain, besides <c>home</c>: one nginx server each.</summary>
    public IReadOnlyList<PortalServer> PortalServers { get; init; } = [];

    /// <summary>
    /// <c>infra_portal</c> entries left without a server because they proxy a component of this node that does not run (disabled,
    /// or not in the bundle), with that component's name: a server for them would only answer 502.
    /// </summary>
    public IReadOnlyList<(PortalServer Server, string Component)> IdlePortalServers { get; init; } = [];

    private InfraSettings WithPortal(IReadOnlyList<PortalServer> servers, string adminIp)
    {
        (int Port, bool Runs, string Name)[] components =
        [
            (GrafanaPort, Grafana, "Grafana"), (VmetricsPort, VmetricsEnabled, "VictoriaMetrics"), (VlogsPort, VictoriaLogs, "VictoriaLogs"),
            (VmalertPort, VmalertEnabled, "vmalert"), (AlertmanagerPort, AlertmanagerEnabled, "Alertmanager"), (BlackboxPort, BlackboxEnabled, "blackbox_exporter"),
        ];
        string? Idle(PortalServer server) => server.Endpoint is { } endpoint
            && (endpoint.StartsWith(adminIp + ":", StringComparison.Ordinal) || endpoint.StartsWith("127.0.0.1:", StringComparison.Ordinal)
                || endpoint.StartsWith("localhost:", StringComparison.Ordinal))
            ? components.FirstOrDefault(c => !c.Runs && endpoint.EndsWith($":{c.Port}", StringComparison.Ordinal)).Name
            : null;
        var judged = servers.Select(s => (Server: s, Component: Idle(s))).ToList();
        return this with
        {
            PortalServers = judged.Where(j => j.Component is null).Select(j => j.Server).ToList(),
            IdlePortalServers = judged.Where(j => j.Component is not null).Select(j => (j.Server, j.Component!)).ToList(),
        };
    }

    /// <summary>Package that brings Grafana into a bundle (from a binary source; Debian 12 has none).</summary>
    public const string GrafanaPackage = "grafana";

    /// <summary>Package that brings VictoriaLogs into a bundle (from a binary source; Debian 12 has none).</summary>
    public const string VictoriaLogsPackage = "victoria-logs";

    /// <summary>The site CA certificate (public).</summary>
    public const string CaCertificate = NodePaths.Pki + "/ca.crt";

    /// <summary>The site CA key: root-only, generated once, never regenerated.</summary>
    public const string CaKey = NodePaths.Pki + "/ca.key";

    /// <summary>nginx's server certificate, issued by the site CA.</summary>
    public const string NginxCertificate = NodePaths.Pki + "/nginx.crt";

    /// <summary>nginx's server key (root-only: the nginx master reads it before dropping privileges).</summary>
    public const string NginxKey = NodePaths.Pki + "/nginx.key";

    /// <summary>The names nginx's certificate carries.</summary>
    public IReadOnlyList<string> CertificateNames =>
        [PortalDomain, .. PortalServers.SelectMany(s => s.Domains).Where(d => d != PortalDomain && !d.Contains('*', StringComparison.Ordinal)).Distinct(), Hostname, "localhost"];

    /// <summary>The addresses nginx's certificate carries.</summary>
    public IReadOnlyList<IPAddress> CertificateAddresses => Address.Equals(IPAddress.Loopback) ? [Address] : [Address, IPAddress.Loopback];

    /// <summary>The components behind the portal, in the order the home page lists them; missing ones are simply absent.</summary>
    public IReadOnlyList<PortalEndpoint> Endpoints =>
    [
        .. Grafana ? [new PortalEndpoint("/ui/", Local(GrafanaPort, stripPrefix: false), "Grafana", "/ui/", "dashboards (Grafana's own login: admin, grafana_admin_password)") { OwnLogin = true }] : Array.Empty<PortalEndpoint>(),
        .. VmetricsEnabled ? [new PortalEndpoint("/vmetrics/", Local(VmetricsPort, stripPrefix: true), "VictoriaMetrics", "/vmetrics/targets",
            "time series database: scrape targets and their health, PromQL API at /vmetrics/api/v1/query")] : Array.Empty<PortalEndpoint>(),
        .. VictoriaLogs ? [new PortalEndpoint("/vlogs/", Local(VlogsPort, stripPrefix: true), "VictoriaLogs", "/vlogs/select/vmui/", "log search")] : Array.Empty<PortalEndpoint>(),
        .. VmalertEnabled ? [new PortalEndpoint("/vmalert/", Local(VmalertPort, stripPrefix: false), "VMAlert", "/vmalert/groups", "alert rules and firing alerts")]
            : Array.Empty<PortalEndpoint>(),
        .. AlertmanagerEnabled ? [new PortalEndpoint("/alertmgr/", Local(AlertmanagerPort, stripPrefix: true), "Alertmanager", "/alertmgr/api/v2/alerts",
            "alerts being routed (JSON API; Debian's build has no web UI, use amtool on this node)")] : Array.Empty<PortalEndpoint>(),
        .. BlackboxEnabled ? [new PortalEndpoint("/blackbox/", Local(BlackboxPort, stripPrefix: true), "Blackbox exporter", "/blackbox/",
            "ICMP/TCP/HTTP probes of the site's nodes")] : Array.Empty<PortalEndpoint>(),
    ];

    /// <summary>
    /// INFRA's own scrape targets (job <c>infra</c>, one list per component, on loopback where they listen; the <c>ip</c> label
    /// still names this node), a ping target for every node (job <c>ping</c>), and NODE's lists of the other nodes (job <c>node</c>).
    /// </summary>
    public IReadOnlyList<ScrapeTarget> ScrapeTargets()
    {
        var ip = Address.ToString();
        List<(string Type, int Port)> components =
        [
            .. VmetricsEnabled ? [("vmetrics", VmetricsPort)] : Array.Empty<(string, int)>(),
            .. VmalertEnabled ? [("vmalert", VmalertPort)] : Array.Empty<(string, int)>(),
            .. AlertmanagerEnabled ? [("alertmanager", AlertmanagerPort)] : Array.Empty<(string, int)>(),
            .. BlackboxEnabled ? [("blackbox", BlackboxPort)] : Array.Empty<(string, int)>(),
            .. VictoriaLogs ? [("vlogs", VlogsPort)] : Array.Empty<(string, int)>(),
        ];
        return components
            .Select(c => new ScrapeTarget("infra", $"{ip}-{c.Type}", [$"127.0.0.1:{c.Port}"],
                ScrapeTarget.Identity("infra", Hostname, ip, ("type", c.Type))))
            .Concat(Nodes.Where(_ => BlackboxEnabled).Select(n => new ScrapeTarget(InfraModule.PingJob, n.Address.ToString(), [n.Address.ToString()],
                new Dictionary<string, string> { ["ip"] = n.Address.ToString(), ["ins"] = n.Name })))
            .Concat(OtherNodeTargets)
            .ToList();
    }

    /// <summary>Reads the settings for <paramref name="node"/>.</summary>
    public static InfraSettings From(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var vars = node.Vars;
        var admin = node.AdminIp.ToString();
        var portal = vars.Find("infra_portal")?.AsMapping();
        var home = portal?.Find("home") is YamlMapping h && h.Find("domain") is { } d && d is not YamlScalar { IsNull: true } ? d.AsString() : "i.pigsty";
        var vmetrics = vars.Bool("vmetrics_enabled", true);
        return new InfraSettings(
            node.Hostname,
            node.Address,
            home,
            vars.Int("nginx_port", 80),
            vars.Int("nginx_ssl_port", 443),
            vars.Bool("dns_enabled", true),
            vars.Int("dns_port", 53),
            vars.Strings("dns_records", ["${admin_ip} i.pigsty"]).Select(r => r.Replace("${admin_ip}", admin, StringComparison.Ordinal)).ToList(),
            vars.Strings("node_firewall_intranet", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
            vars.Int("vmetrics_port", 8428),
            vars.String("vmetrics_scrape_interval", "10s"),
            vars.String("vmetrics_scrape_timeout", "8s"),
            vars.String("vmetrics_retention", "15d"),
            vars.Int("vmalert_port", 8880),
            vars.String("vmalert_evaluation_interval", "15s"),
            vars.Int("alertmanager_port", 9059),
            vars.Int("blackbox_port", 9115),
            vars.Int("haproxy_exporter_port", 9101),
            node.Repo.Has(GrafanaPackage) && vars.Bool("grafana_enabled", true),
            vars.Int("grafana_port", 3000),
            node.Repo.Has(VictoriaLogsPackage) && vars.Bool("vlogs_enabled", true),
            vars.Int("vlogs_port", 9428),
            node.Inventory.Hosts.Select(h => (h.Address, (node with { Host = h }).Hostname)).ToList(),
            node.Inventory.Hosts.Where(h => !h.Address.Equals(node.Address))
                .Select(h => NodeSettings.From(node with { Host = h }).ScrapeTarget())
                .Where(t => t.Targets.Count > 0)
                .ToList(),
            PortalUser.From(vars))
        {
            VmetricsEnabled = vmetrics,
            VmalertEnabled = vmetrics && vars.Bool("vmalert_enabled", true),
            AlertmanagerEnabled = vars.Bool("alertmanager_enabled", true),
            BlackboxEnabled = vars.Bool("blackbox_enabled", true),
        }.WithPortal(portal?.Entries.Where(e => e.Key != "home").Select(e => PortalServer.Parse(e, admin)).OfType<PortalServer>().ToList() ?? [], admin);
    }

    private static string Local(int port, bool stripPrefix) => $"http://127.0.0.1:{port}" + (stripPrefix ? "/" : "");
}

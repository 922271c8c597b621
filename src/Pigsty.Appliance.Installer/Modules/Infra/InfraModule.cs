using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>
/// Pigsty's INFRA module, on nodes of the <c>infra</c> group: the site CA, the nginx portal with the local repository,
/// VictoriaMetrics, vmalert, Alertmanager, blackbox_exporter, dnsmasq and the NTP server. Components the bundle lacks are
/// skipped with a note, never faked. VictoriaMetrics scrapes the jobs of every module in <paramref name="modules"/>.
/// </summary>
public sealed class InfraModule(TimeProvider time, IReadOnlyList<ModuleDescriptor> modules) : IModule
{
    private const string VictoriaTracesPackage = "victoria-traces";

    private const string DnsPackage = "dnsmasq";

    /// <summary>Every package INFRA installs with Pigsty's defaults from a Debian bundle (what an image can preinstall).</summary>
    public static readonly IReadOnlyList<string> DefaultPackages =
        ["nginx", "victoria-metrics", "prometheus-alertmanager", "prometheus-blackbox-exporter", DnsPackage];

    /// <summary>INFRA's starter alert rules: the monitoring stack, exporters and reachability; node resources (node_exporter).</summary>
    public static readonly IReadOnlyList<AlertRuleFile> Rules = [AlertRuleFile.Of("Infra", "infra.yml"), AlertRuleFile.Of("Infra", "node.yml")];

    /// <summary>Job that pings every node through blackbox_exporter; its target lists name bare addresses.</summary>
    public const string PingJob = "ping";

    /// <summary>INFRA runs on the infra group; it scrapes its own components and pings every node.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("INFRA", ModuleGroup.Infra, _ => DefaultPackages, ["infra-package"],
    [
        new ScrapeJob("infra", "/metrics", "VictoriaMetrics, vmalert, Alertmanager, blackbox_exporter and VictoriaLogs, those enabled and bundled (Grafana is not scraped)"),
        new ScrapeJob(PingJob, "/probe", "ICMP echo to every node through blackbox_exporter (probe_success is the signal)") { Probe = "icmp" },
    ],
    Rules)
    {
        // Everything else INFRA runs listens on loopback (see InfraUnits): nginx is the way in, DNS and NTP serve the nodes.
        Ports =
        [
            new("nginx", 80, "nginx_port"), new("nginx https", 443, "nginx_ssl_port"),
            new("dnsmasq", 53, "dns_port"), new("dnsmasq", 53, "dns_port") { Udp = true }, new("chrony (NTP server)", 123) { Udp = true },
        ],
    };

    public string Name => Descriptor.Name;

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Infra is null)
        {
            return ModulePlan.Skip(Name, "this node is not in the infra group");
        }

        var settings = InfraSettings.From(node);
        var missing = new List<string>();
        if (!node.Repo.Has(InfraSettings.GrafanaPackage))
        {
            missing.Add($"Grafana ({InfraSettings.GrafanaPackage}) is not in the bundle: no dashboards, /ui/ is not served");
        }

        if (!node.Repo.Has(InfraSettings.VictoriaLogsPackage))
        {
            missing.Add($"VictoriaLogs ({InfraSettings.VictoriaLogsPackage}) is not in the bundle: no log search, /vlogs/ is not served");
        }

        if (!node.Repo.Has(VictoriaTracesPackage))
        {
            missing.Add($"VictoriaTraces ({VictoriaTracesPackage}) is not in the bundle: no tracing, /vtraces/ is not served");
        }

        var notes = new List<string>(missing);
        var ntp = node.Vars.Bool("node_ntp_enabled", true);
        if (!ntp)
        {
            notes.Add("NTP server skipped: node_ntp_enabled is false, so chrony is not installed on this node");
        }

        if (!settings.DnsEnabled)
        {
            notes.Add("dnsmasq skipped: dns_enabled is false");
        }

        foreach (var (enabled, note) in new[]
        {
            (settings.VmetricsEnabled, "VictoriaMetrics and vmalert skipped: vmetrics_enabled is false (no metrics, no alerts; the portal links no "
                + "metrics, Grafana gets no data source; target lists are still written to " + NodePaths.ScrapeTargets + " for a later VictoriaMetrics)"),
            (settings.VmalertEnabled || !settings.VmetricsEnabled, "vmalert skipped: vmalert_enabled is false (alert rules are not evaluated)"),
            (settings.AlertmanagerEnabled, "Alertmanager skipped: alertmanager_enabled is false (vmalert's alerts go nowhere)"),
            (settings.BlackboxEnabled, "blackbox_exporter skipped: blackbox_enabled is false (nodes are not pinged)"),
            (settings.Grafana || !node.Repo.Has(InfraSettings.GrafanaPackage), "Grafana skipped: grafana_enabled is false"),
            (settings.VictoriaLogs || !node.Repo.Has(InfraSettings.VictoriaLogsPackage), "VictoriaLogs skipped: vlogs_enabled is false"),
        })
        {
            if (!enabled)
            {
                notes.Add(note);
            }
        }

        foreach (var (server, component) in settings.IdlePortalServers)
        {
            notes.Add($"infra_portal.{server.Name}: no nginx server for {server.Domains[0]}: it proxies {server.Endpoint}, and {component} does not run here");
        }

        foreach (var server in settings.PortalServers.Where(s => s.Ignored.Count > 0))
        {
            notes.Add($"infra_portal.{server.Name}: {string.Join(", ", server.Ignored)} not supported here (the server uses the site certificate, no auth)");
        }

        List<string> packages =
        [
            .. DefaultPackages.Where(p => p != DnsPackage || settings.DnsEnabled).Where(p => p != "victoria-metrics" || settings.VmetricsEnabled)
                .Where(p => p != "prometheus-alertmanager" || settings.AlertmanagerEnabled).Where(p => p != "prometheus-blackbox-exporter" || settings.BlackboxEnabled),
            .. settings.Grafana ? [InfraSettings.GrafanaPackage] : Array.Empty<string>(),
            .. settings.VictoriaLogs ? [InfraSettings.VictoriaLogsPackage] : Array.Empty<string>(),
        ];
        // The monitoring components start side by side once their unit files are in; vmalert waits for what it reads and sends to.
        const string Dirs = "infra.dirs";
        List<Step> services =
        [
            .. settings.DnsEnabled ? [InfraSteps.Dns(settings).After(Dirs).Needing(Outputs.DnsRecords)] : Array.Empty<Step>(),
            .. settings.BlackboxEnabled ? [InfraSteps.Blackbox(settings)] : Array.Empty<Step>(),
            .. settings.AlertmanagerEnabled ? [InfraSteps.Alertmanager(settings)] : Array.Empty<Step>(),
            .. settings.VmetricsEnabled ? [InfraSteps.VictoriaMetrics(settings, modules).After(Dirs)] : Array.Empty<Step>(),

            // vmalert runs only beside VictoriaMetrics; without Alertmanager it sends alerts nowhere, so it has nothing more to wait for.
            .. settings.VmalertEnabled
                ? [InfraSteps.Vmalert(settings).After(["infra.vmetrics", .. settings.AlertmanagerEnabled ? ["infra.alertmanager"] : Array.Empty<string>()])
                    .Needing(Outputs.AlertRules)]
                : Array.Empty<Step>(),
            .. settings.VictoriaLogs ? [InfraSteps.VictoriaLogs(settings)] : Array.Empty<Step>(),
            .. settings.Grafana ? [InfraSteps.Grafana(settings)] : Array.Empty<Step>(),
            InfraSteps.Nginx(settings, missing, modules.SelectMany(m => m.Queries).ToList(),
                modules.SelectMany(m => m.Connections(node.Inventory)).ToList()).After("infra.cert").Needing(Outputs.Bundle),
        ];
        List<Step> steps =
        [
            CommonSteps.Packages("infra.packages", packages, node),
            InfraSteps.Directories(modules).Giving(Outputs.ContractDirectories),
            // Only the admin node holds the CA and issues; another INFRA node uses the portal certificate issued for it.
            .. node.Issues
                ? [SiteCertificates.Ca(time).Giving(Outputs.SiteCa), SiteCertificates.Nginx(settings, time).After("infra.ca")]
                : new[] { CertificateSteps.For(node, "infra.cert", SiteCertificates.NginxCertificate(settings)).After("infra.packages") },
            .. ntp ? [InfraSteps.NtpServer(settings).Needing(Outputs.Chrony)] : Array.Empty<Step>(),
            InfraSteps.Rules().After(Dirs).Giving(Outputs.AlertRules),
            .. CommonSteps.WithUnits("infra.units", services, "infra.packages"),
            InfraSteps.Register(settings).After(Dirs),
        ];
        return ModulePlan.Run(Name, steps, notes);
    }
}

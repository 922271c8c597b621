using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>INFRA's steps; each wires renderers to the machine through a common step shape.</summary>
internal static class InfraSteps
{
    /// <summary>How long a service may take to answer after a (re)start.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The contract directories modules write into, and the portal root.</summary>
    public static Step Directories() => CommonSteps.Files(
        "infra.dirs",
        $"directories for scrape targets, alert rules and DNS records under /etc/pigsty, portal root {NodePaths.Www}",
        [],
        [
            ("/etc/pigsty", FileSpec.Directory),
            (NodePaths.ScrapeTargets, FileSpec.Directory),
            .. ScrapeConfig.TargetDirectories.Select(d => (d, FileSpec.Directory)),
            (NodePaths.AlertRules, FileSpec.Directory),
            (NodePaths.DnsRecords, FileSpec.Directory),
            (NodePaths.Www, FileSpec.Directory),
        ]);

    /// <summary>The NTP server role: a file in chrony's confdir, then a restart of NODE's chrony (it reads confdir at start only).</summary>
    public static Step NtpServer(InfraSettings settings) => CommonSteps.Configure(
        "infra.ntp",
        $"NTP server for {string.Join(", ", settings.NtpClients)} (chrony, local stratum 10)",
        [ManagedFile.Of(ChronyServerConfig.Path, _ => ChronyServerConfig.Render(settings.NtpClients), FileSpec.Config)],
        (c, t) => c.Machine.Services.RestartAsync("chrony.service", t),
        (c, t) => c.Machine.Health.WaitForCommandAsync("chrony.service", ProcessSpec.Of("chronyc", "-n", "serverstats"), Deadline, t));

    public static Step Dns(InfraSettings settings)
    {
        var unit = InfraUnits.Dnsmasq();
        return CommonSteps.Service(
            "infra.dns",
            $"dnsmasq on :{settings.DnsPort} ({string.Join(", ", settings.DnsRecords)}; records from {NodePaths.DnsRecords})",
            unit.Name,
            [
                ManagedFile.Of(DnsmasqConfig.Path, _ => DnsmasqConfig.Render(settings), FileSpec.Config),
                ManagedFile.Of(DnsmasqConfig.RecordsPath, _ => DnsmasqConfig.RenderRecords(settings.DnsRecords), FileSpec.Config),
                unit.File(),
            ],
            (c, t) => c.Machine.Health.WaitForPortAsync(unit.Name, "127.0.0.1", settings.DnsPort, Deadline, t));
    }

    public static Step Rules() => CommonSteps.Files(
        "infra.rules",
        $"alert rules {AlertRules.InfraPath}, {AlertRules.NodePath}",
        [
            ManagedFile.Of(AlertRules.InfraPath, _ => AlertRules.RenderInfra(), FileSpec.Config),
            ManagedFile.Of(AlertRules.NodePath, _ => AlertRules.RenderNode(), FileSpec.Config),
        ]);

    public static Step Blackbox(InfraSettings settings)
    {
        var unit = InfraUnits.Blackbox(settings);
        return CommonSteps.Service(
            "infra.blackbox",
            $"blackbox_exporter on :{settings.BlackboxPort}",
            unit.Name,
            [ManagedFile.Of(BlackboxConfig.Path, _ => BlackboxConfig.Render(), FileSpec.Config), unit.File()],
            (c, t) => HealthyAsync(c, unit.Name, settings.BlackboxPort, "/-/healthy", t),
            reload: true);
    }

    public static Step Alertmanager(InfraSettings settings)
    {
        var unit = InfraUnits.Alertmanager(settings);
        return CommonSteps.Service(
            "infra.alertmanager",
            $"Alertmanager on :{settings.AlertmanagerPort}",
            unit.Name,
            [ManagedFile.Of(AlertmanagerConfig.Path, _ => AlertmanagerConfig.Render(), FileSpec.Config), unit.File()],
            (c, t) => HealthyAsync(c, unit.Name, settings.AlertmanagerPort, "/-/healthy", t));
    }

    public static Step VictoriaMetrics(InfraSettings settings)
    {
        var unit = InfraUnits.VictoriaMetrics(settings);
        return CommonSteps.Service(
            "infra.vmetrics",
            $"VictoriaMetrics on :{settings.VmetricsPort}, scraping {NodePaths.ScrapeTargets}/<job>/*.yml",
            unit.Name,
            [ManagedFile.Of(ScrapeConfig.Path, _ => ScrapeConfig.Render(settings), FileSpec.Config), unit.File()],
            (c, t) => HealthyAsync(c, unit.Name, settings.VmetricsPort, "/health", t));
    }

    public static Step Vmalert(InfraSettings settings)
    {
        var unit = InfraUnits.Vmalert(settings);
        return CommonSteps.Service(
            "infra.vmalert",
            $"vmalert on :{settings.VmalertPort}, rules from {NodePaths.AlertRules}, alerts to Alertmanager",
            unit.Name,
            [unit.File()],
            (c, t) => HealthyAsync(c, unit.Name, settings.VmalertPort, "/-/healthy", t));
    }

    /// <summary>Grafana with our grafana.ini (admin password from the credentials) and VictoriaMetrics as data source.</summary>
    public static Step Grafana(InfraSettings settings)
    {
        var unit = InfraUnits.Grafana();
        return CommonSteps.Service(
            "infra.grafana",
            $"Grafana on :{settings.GrafanaPort} (served at /ui/), data source VictoriaMetrics",
            unit.Name,
            [
                new ManagedFile(GrafanaConfig.Path,
                    async (c, t) => GrafanaConfig.Render(settings, await c.Node.Credentials.GetAsync(GrafanaConfig.PasswordVar, t)),
                    FileSpec.ReadableBy("grafana")),
                ManagedFile.Of(GrafanaConfig.DatasourcePath, _ => GrafanaConfig.RenderDatasource(settings), FileSpec.ReadableBy("grafana")),
                unit.File(),
            ],
            (c, t) => HealthyAsync(c, unit.Name, settings.GrafanaPort, "/ui/api/health", t));
    }

    public static Step VictoriaLogs(InfraSettings settings)
    {
        var unit = InfraUnits.VictoriaLogs(settings);
        return CommonSteps.Service(
            "infra.vlogs",
            $"VictoriaLogs on :{settings.VlogsPort}",
            unit.Name,
            [unit.File()],
            (c, t) => HealthyAsync(c, unit.Name, settings.VlogsPort, "/health", t));
    }

    public static Step Nginx(InfraSettings settings, IReadOnlyList<string> skipped)
    {
        var unit = InfraUnits.Nginx();
        return CommonSteps.Service(
            "infra.nginx",
            $"nginx portal on :{settings.NginxPort}/:{settings.NginxSslPort}: {string.Join(" ", settings.Endpoints.Select(e => e.Location))} /pigsty/",
            unit.Name,
            [
                ManagedFile.Of(NginxConfig.MainPath, _ => NginxConfig.RenderMain(), FileSpec.Config),
                ManagedFile.Of(NginxConfig.PortalPath, _ => NginxConfig.RenderPortal(settings, InfraSettings.NginxCertificate, InfraSettings.NginxKey), FileSpec.Config),
                ManagedFile.Of(PortalPage.Path, _ => PortalPage.Render(settings, skipped), FileSpec.Config),
                unit.File(),
            ],
            async (c, t) =>
            {
                await HealthyAsync(c, unit.Name, settings.NginxPort, "/", t);
                await c.Machine.Health.WaitForPortAsync(unit.Name, "127.0.0.1", settings.NginxSslPort, Deadline, t);
            },
            reload: true);
    }

    /// <summary>INFRA's own scrape targets (job infra) and a ping target for every node of the inventory (job ping).</summary>
    public static Step Register(InfraSettings settings)
    {
        var targets = settings.ScrapeTargets();
        return CommonSteps.Files(
            "infra.register",
            $"scrape targets: {targets.Count(t => t.Job == "infra")} infra components, ping {string.Join(", ", settings.Nodes.Select(n => n.Address))}",
            targets.Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config)).ToList());
    }

    /// <summary>Port first (fast, clear error), then the component's own health endpoint.</summary>
    private static async Task HealthyAsync(StepContext context, string unit, int port, string path, CancellationToken cancellationToken)
    {
        await context.Machine.Health.WaitForPortAsync(unit, "127.0.0.1", port, Deadline, cancellationToken);
        await context.Machine.Health.WaitForHttpAsync(unit, new Uri($"http://127.0.0.1:{port}{path}"), Deadline, cancellationToken);
    }
}

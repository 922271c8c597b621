using Pigsty.Appliance.Core.Contract;
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
    /// <summary>The contract directories modules write into, and the portal root.</summary>
    public static Step Directories(IReadOnlyList<ModuleDescriptor> modules) => CommonSteps.Files(
        "infra.dirs",
        $"directories for scrape targets, alert rules and DNS records under /etc/pigsty, portal root {NodeLayout.Www}",
        [],
        [
            ("/etc/pigsty", FileSpec.Directory),
            (NodePaths.ScrapeTargets, FileSpec.Directory),
            .. ScrapeConfig.TargetDirectories(modules).Select(d => (d, FileSpec.Directory)),
            (NodePaths.AlertRules, FileSpec.Directory),
            (NodePaths.DnsRecords, FileSpec.Directory),
            (NodeLayout.Www, FileSpec.Directory),
        ]);

    /// <summary>The NTP server role: a file in chrony's confdir, then a restart of NODE's chrony (it reads confdir at start only).</summary>
    public static Step NtpServer(InfraSettings settings) => CommonSteps.Configure(
        "infra.ntp",
        $"NTP server for {string.Join(", ", settings.NtpClients)} (chrony, local stratum 10)",
        [ManagedFile.Of(ChronyServerConfig.Path, _ => ChronyServerConfig.Render(settings.NtpClients), FileSpec.Config)],
        (c, t) => c.Machine.Services.RestartAsync("chrony.service", t),
        (c, t) => c.Machine.Health.WaitForCommandAsync("chrony.service", ProcessSpec.Of("chronyc", "-n", "serverstats"), CommonSteps.HealthDeadline, t));

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
            (c, t) => c.Machine.Health.WaitForPortAsync(unit.Name, "127.0.0.1", settings.DnsPort, CommonSteps.HealthDeadline, t));
    }

    public static Step Rules() => CommonSteps.Files(
        "infra.rules",
        $"alert rules {string.Join(", ", InfraModule.Rules.Select(r => r.Path))}",
        InfraModule.Rules.Select(r => ManagedFile.Of(r.Path, _ => r.Text, FileSpec.Config)).ToList());

    public static Step Blackbox(InfraSettings settings) => CommonSteps.HttpService(
        "infra.blackbox",
        $"blackbox_exporter on :{settings.BlackboxPort}",
        InfraUnits.Blackbox(settings),
        settings.BlackboxPort,
        "/-/healthy",
        [ManagedFile.Of(BlackboxConfig.Path, _ => BlackboxConfig.Render(), FileSpec.Config)],
        reload: true);

    public static Step Alertmanager(InfraSettings settings) => CommonSteps.HttpService(
        "infra.alertmanager",
        $"Alertmanager on :{settings.AlertmanagerPort}",
        InfraUnits.Alertmanager(settings),
        settings.AlertmanagerPort,
        "/-/healthy",
        [ManagedFile.Of(AlertmanagerConfig.Path, _ => AlertmanagerConfig.Render(), FileSpec.Config)]);

    public static Step VictoriaMetrics(InfraSettings settings, IReadOnlyList<ModuleDescriptor> modules) => CommonSteps.HttpService(
        "infra.vmetrics",
        $"VictoriaMetrics on :{settings.VmetricsPort}, scraping {NodePaths.ScrapeTargets}/<job>/*.yml",
        InfraUnits.VictoriaMetrics(settings),
        settings.VmetricsPort,
        "/health",
        [ManagedFile.Of(ScrapeConfig.Path, _ => ScrapeConfig.Render(settings, modules), FileSpec.Config)]);

    public static Step Vmalert(InfraSettings settings) => CommonSteps.HttpService(
        "infra.vmalert",
        $"vmalert on :{settings.VmalertPort}, rules from {NodePaths.AlertRules}, alerts to Alertmanager",
        InfraUnits.Vmalert(settings),
        settings.VmalertPort,
        "/-/healthy",
        [],
        deadline: VmalertDeadline);

    /// <summary>
    /// vmalert listens only once it has restored the alert state of every rule group from VictoriaMetrics (<c>-remoteRead.url</c>): a
    /// query per alerting rule, one group after another, each answered by a VictoriaMetrics that is itself still starting. On the infra
    /// node of the HA BootTest (three VMs sharing two emulated cores) its first group started 258 s after it read the rules, and its port
    /// was still closed when <see cref="CommonSteps.HealthDeadline"/> (300 s) ran out (20 alerting rules in 4 groups there). The price:
    /// a vmalert that never listens is reported after this long, with its journal.
    /// </summary>
    public static readonly TimeSpan VmalertDeadline = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Grafana with our grafana.ini (admin password from the credentials) and VictoriaMetrics as data source; without VictoriaMetrics
    /// (<c>vmetrics_enabled: false</c>) no data source is provisioned, rather than one that points at nothing.
    /// </summary>
    public static Step Grafana(InfraSettings settings) => CommonSteps.HttpService(
        "infra.grafana",
        $"Grafana on :{settings.GrafanaPort} (served at /ui/), "
            + (settings.VmetricsEnabled ? "data source VictoriaMetrics" : "no data source (vmetrics_enabled is false)"),
        InfraUnits.Grafana(),
        settings.GrafanaPort,
        "/ui/api/health",
        [
            new ManagedFile(GrafanaConfig.Path,
                async (c, t) => GrafanaConfig.Render(settings, await c.Node.Credentials.GetAsync(GrafanaConfig.PasswordVar, t)),
                FileSpec.ReadableBy("grafana")),
            .. settings.VmetricsEnabled
                ? [ManagedFile.Of(GrafanaConfig.DatasourcePath, _ => GrafanaConfig.RenderDatasource(settings), FileSpec.ReadableBy("grafana"))]
                : Array.Empty<ManagedFile>(),
        ]);

    public static Step VictoriaLogs(InfraSettings settings) => CommonSteps.HttpService(
        "infra.vlogs",
        $"VictoriaLogs on :{settings.VlogsPort}",
        InfraUnits.VictoriaLogs(settings),
        settings.VlogsPort,
        "/health",
        []);

    public static Step Nginx(InfraSettings settings, IReadOnlyList<string> skipped, IReadOnlyList<MetricQuery> queries,
        IReadOnlyList<ServiceConnection> connections)
    {
        var unit = InfraUnits.Nginx();
        return CommonSteps.Service(
            "infra.nginx",
            $"nginx portal on :{settings.NginxPort}/:{settings.NginxSslPort}: {string.Join(" ", settings.Endpoints.Select(e => e.Location))} /pigsty/"
                + string.Concat(settings.PortalServers.Select(s => $", {s.Domains[0]} -> {s.Endpoint ?? s.Path}")),
            unit.Name,
            [
                new ManagedFile(PortalPasswords.Path, (c, t) => PortalPasswordsAsync(c, settings, t), FileSpec.ReadableBy("www-data")),
                ManagedFile.Of(NginxConfig.MainPath, _ => NginxConfig.RenderMain(), FileSpec.Config),
                ManagedFile.Of(NginxConfig.PortalPath, _ => NginxConfig.RenderPortal(settings, InfraSettings.NginxCertificate, InfraSettings.NginxKey), FileSpec.Config),
                ManagedFile.Of(PortalPage.Path, _ => PortalPage.Render(settings, skipped, queries, connections), FileSpec.Config),
                .. settings.PortalServers.Select(server => ManagedFile.Of(NginxConfig.ServerPath(server),
                    _ => NginxConfig.RenderServer(settings, server, InfraSettings.NginxCertificate, InfraSettings.NginxKey), FileSpec.Config)),
                unit.File(),
            ],
            async (c, t) =>
            {
                // The CA certificate is one of the few paths without a login: a 2xx there means nginx serves.
                await CommonSteps.HttpHealthyAsync(c, unit.Name, settings.NginxPort, "/ca.crt", null, t);
                await c.Machine.Health.WaitForPortAsync(unit.Name, "127.0.0.1", settings.NginxSslPort, CommonSteps.HealthDeadline, t);
            },
            reload: true);
    }

    /// <summary>The portal's password file: the inventory's passwords, or the generated one, hashed; unchanged logins keep their lines.</summary>
    private static async Task<string> PortalPasswordsAsync(StepContext context, InfraSettings settings, CancellationToken cancellationToken)
    {
        var users = new List<(string, string)>();
        foreach (var user in settings.PortalUsers)
        {
            users.Add((user.Name, user.Password ?? await context.Node.Credentials.GetAsync(PortalUser.GeneratedPasswordVar, cancellationToken)));
        }

        return PortalPasswords.Render(users, await context.Machine.Files.ReadAsync(PortalPasswords.Path, cancellationToken));
    }

    /// <summary>INFRA's own scrape targets (job infra), a ping target for every node (job ping) and the other nodes' exporters (job node).</summary>
    public static Step Register(InfraSettings settings)
    {
        var targets = settings.ScrapeTargets();
        return CommonSteps.Files(
            "infra.register",
            $"scrape targets: {targets.Count(t => t.Job == "infra")} infra components, ping {string.Join(", ", settings.Nodes.Select(n => n.Address))}"
                + (settings.OtherNodeTargets.Count > 0 ? $", node exporters of {string.Join(", ", settings.OtherNodeTargets.Select(t => t.Name))}" : ""),
            targets.Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config)).ToList());
    }
}

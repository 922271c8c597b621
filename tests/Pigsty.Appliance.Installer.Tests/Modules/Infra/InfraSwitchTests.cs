using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>
/// INFRA's per-component switches (<c>*_enabled</c> in Pigsty's infra role): false takes the component's steps, its package, its scrape
/// targets and its place on the portal (nginx location and home page row) away, with a note in the plan; the rest stays.
/// </summary>
public sealed class InfraSwitchTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>The single-node inventory with <paramref name="vars"/> in all.vars, on a bundle that has Grafana and VictoriaLogs.</summary>
    private Installer.Node.NodeContext Node(string vars = "") => TestNode.Create(_root.Path,
        TestNode.SingleNode.Replace("    admin_ip: 10.10.10.10\n", "    admin_ip: 10.10.10.10\n" + vars, StringComparison.Ordinal), InfraRendererTests.FullBundle);

    private static ModulePlan Plan(Installer.Node.NodeContext node) => new InfraModule(TimeProvider.System, InstallModules.Descriptors).Plan(node);

    public static TheoryData<string, string[], string[], string[], string[], string> Switches => new()
    {
        // switch, steps, packages, scrape target lists (<job>/<name>), portal locations, plan note
        { "grafana_enabled", ["infra.grafana"], ["grafana"], [], ["/ui/"], "Grafana skipped: grafana_enabled is false" },
        { "vmetrics_enabled", ["infra.vmetrics", "infra.vmalert"], ["victoria-metrics"], ["infra/10.10.10.10-vmetrics", "infra/10.10.10.10-vmalert"], ["/vmetrics/", "/vmalert/"],
            "VictoriaMetrics and vmalert skipped: vmetrics_enabled is false (no metrics, no alerts; the portal links no metrics, Grafana gets no data source; "
                + "target lists are still written to /etc/pigsty/targets for a later VictoriaMetrics)" },
        { "vmalert_enabled", ["infra.vmalert"], [], ["infra/10.10.10.10-vmalert"], ["/vmalert/"], "vmalert skipped: vmalert_enabled is false (alert rules are not evaluated)" },
        { "alertmanager_enabled", ["infra.alertmanager"], ["prometheus-alertmanager"], ["infra/10.10.10.10-alertmanager"], ["/alertmgr/"],
            "Alertmanager skipped: alertmanager_enabled is false (vmalert's alerts go nowhere)" },
        { "blackbox_enabled", ["infra.blackbox"], ["prometheus-blackbox-exporter"], ["infra/10.10.10.10-blackbox", "ping/10.10.10.10"], ["/blackbox/"],
            "blackbox_exporter skipped: blackbox_enabled is false (nodes are not pinged)" },
        { "vlogs_enabled", ["infra.vlogs"], ["victoria-logs"], ["infra/10.10.10.10-vlogs"], ["/vlogs/"], "VictoriaLogs skipped: vlogs_enabled is false" },
        { "dns_enabled", ["infra.dns"], ["dnsmasq"], [], [], "dnsmasq skipped: dns_enabled is false" },
    };

    [Theory]
    [MemberData(nameof(Switches))]
    public void A_switch_set_to_false_removes_the_components_steps_package_scrape_targets_and_portal_entry(
        string name, string[] steps, string[] packages, string[] targets, string[] locations, string note)
    {
        var on = Plan(Node());
        var off = Plan(Node($"    {name}: false\n"));
        var onSettings = InfraSettings.From(Node());
        var offSettings = InfraSettings.From(Node($"    {name}: false\n"));

        // What is on by default is there; the switch takes exactly that away.
        Assert.Equal(on.Steps.Select(s => s.Id).Except(steps), off.Steps.Select(s => s.Id));
        Assert.All(steps, s => Assert.Contains(s, on.Steps.Select(s => s.Id)));
        Assert.Contains(note, off.Notes);
        Assert.DoesNotContain(note, on.Notes);
        Assert.Equal(Packages(on).Except(packages), Packages(off));
        Assert.All(packages, p => Assert.Contains(p, Packages(on)));
        var infraTargets = targets.Select(t => $"/etc/pigsty/targets/{t}.yml").ToList();
        Assert.Equal(onSettings.ScrapeTargets().Select(t => t.Path).Except(infraTargets), offSettings.ScrapeTargets().Select(t => t.Path));
        Assert.All(infraTargets, t => Assert.Contains(t, onSettings.ScrapeTargets().Select(s => s.Path)));

        var portalOn = NginxConfig.RenderPortal(onSettings, InfraSettings.NginxCertificate, InfraSettings.NginxKey);
        var portalOff = NginxConfig.RenderPortal(offSettings, InfraSettings.NginxCertificate, InfraSettings.NginxKey);
        var pageOn = PortalPage.Render(onSettings, []);
        var pageOff = PortalPage.Render(offSettings, []);
        foreach (var location in locations)
        {
            Assert.Contains($"    location {location} {{\n", portalOn, StringComparison.Ordinal);
            Assert.DoesNotContain($"    location {location} {{\n", portalOff, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"{location}", pageOn, StringComparison.Ordinal);
            Assert.DoesNotContain($"<a href=\"{location}", pageOff, StringComparison.Ordinal);
        }

        // Everything else on the portal stays: the locations of the components left on.
        Assert.Equal(onSettings.Endpoints.Select(e => e.Location).Except(locations), offSettings.Endpoints.Select(e => e.Location));
    }

    [Fact]
    public void Without_blackbox_no_node_is_pinged_and_victoria_metrics_has_no_probing_job()
    {
        var settings = InfraSettings.From(Node("    blackbox_enabled: false\n"));

        Assert.DoesNotContain(settings.ScrapeTargets(), t => t.Job == InfraModule.PingJob);
        Assert.DoesNotContain("job_name: ping", ScrapeConfig.Render(settings, InstallModules.Descriptors), StringComparison.Ordinal);
        Assert.Contains("job_name: ping", ScrapeConfig.Render(InfraSettings.From(Node()), InstallModules.Descriptors), StringComparison.Ordinal);
        Assert.Contains(InfraSettings.From(Node()).ScrapeTargets(), t => t.Job == InfraModule.PingJob);
    }

    [Fact]
    public void Vmalert_needs_victoria_metrics_so_vmetrics_enabled_false_turns_it_off_whatever_vmalert_enabled_says()
    {
        var settings = InfraSettings.From(Node("    vmetrics_enabled: false\n    vmalert_enabled: true\n"));

        Assert.False(settings.VmalertEnabled);
        Assert.DoesNotContain(Plan(Node("    vmetrics_enabled: false\n    vmalert_enabled: true\n")).Steps, s => s.Id == "infra.vmalert");
    }

    [Fact]
    public void Grafana_enabled_true_on_a_bundle_without_grafana_is_a_note_not_a_step()
    {
        var plan = Plan(TestNode.Create(_root.Path, TestNode.SingleNode.Replace("    admin_ip: 10.10.10.10\n", "    admin_ip: 10.10.10.10\n    grafana_enabled: true\n",
            StringComparison.Ordinal)));

        Assert.DoesNotContain(plan.Steps, s => s.Id == "infra.grafana");
        Assert.Contains(plan.Notes, n => n.StartsWith("Grafana (grafana) is not in the bundle", StringComparison.Ordinal));

        // Nothing points at the absent Grafana: no scrape target, no nginx location, no link on the home page.
        var settings = InfraSettings.From(TestNode.Create(_root.Path, TestNode.SingleNode.Replace("    admin_ip: 10.10.10.10\n",
            "    admin_ip: 10.10.10.10\n    grafana_enabled: true\n", StringComparison.Ordinal)));
        Assert.False(settings.Grafana);
        Assert.DoesNotContain(settings.ScrapeTargets(), t => t.Name.Contains("grafana", StringComparison.Ordinal) || t.Targets.Contains($"127.0.0.1:{settings.GrafanaPort}"));
        Assert.DoesNotContain("/ui/", NginxConfig.RenderPortal(settings, InfraSettings.NginxCertificate, InfraSettings.NginxKey), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/ui/\"", PortalPage.Render(settings, [], Queries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_victoria_metrics_nothing_rendered_points_at_it_grafana_gets_no_data_source_and_the_portal_asks_no_queries()
    {
        var node = Node("    vmetrics_enabled: false\n");
        var settings = InfraSettings.From(node);
        var grafana = Assert.Single(Plan(node).Steps, s => s.Id == "infra.grafana");
        var context = new StepContext(node, new FakeMachine(_root.Path), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.True(await StepRunner.RunAsync(grafana, context));

        Assert.EndsWith("no data source (vmetrics_enabled is false)", grafana.Title, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(_root.Path, GrafanaConfig.Path)));
        Assert.False(File.Exists(Path.Join(_root.Path, GrafanaConfig.DatasourcePath)));
        var page = PortalPage.Render(settings, [], Queries);
        Assert.DoesNotContain("/vmetrics/", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"metrics\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/vmetrics/", NginxConfig.RenderPortal(settings, InfraSettings.NginxCertificate, InfraSettings.NginxKey), StringComparison.Ordinal);
        Assert.DoesNotContain($":{settings.VmetricsPort}", string.Join('\n', settings.ScrapeTargets().SelectMany(t => t.Targets)), StringComparison.Ordinal);

        // With VictoriaMetrics the same bundle provisions the data source and the page asks every module's queries.
        var on = InfraSettings.From(Node());
        Assert.Contains("    url: http://127.0.0.1:8428\n", GrafanaConfig.RenderDatasource(on), StringComparison.Ordinal);
        Assert.Equal(Queries.Count, PortalPage.Render(on, [], Queries).Split("<tr data-query=").Length - 1);
    }

    private static IReadOnlyList<Installer.Modules.MetricQuery> Queries => PortalPageTests.Queries;

    /// <summary>The packages of INFRA's package step, from its title ("install a, b, c").</summary>
    private static List<string> Packages(ModulePlan plan)
    {
        var title = plan.Steps.Single(s => s.Id == "infra.packages").Title;
        var list = title[(title.IndexOf("install ", StringComparison.Ordinal) + "install ".Length)..];
        return list.Split(", ").Select(p => p.Split(' ')[0]).ToList();
    }

    [Fact]
    public void An_infra_portal_entry_proxying_a_component_that_does_not_run_gets_no_server_and_a_note()
    {
        const string Portal = "    infra_portal:\n      home: { domain: i.pigsty }\n      grafana: { domain: g.pigsty, endpoint: '${admin_ip}:3000', websocket: true }\n"
            + "      vmetrics: { domain: v.pigsty, endpoint: '127.0.0.1:8428' }\n      wiki: { domain: wiki.pigsty, endpoint: '10.10.10.10:9700' }\n";
        var node = TestNode.Create(_root.Path, TestNode.SingleNode.Replace("    admin_ip: 10.10.10.10\n", "    admin_ip: 10.10.10.10\n" + Portal
            + "    vmetrics_enabled: false\n", StringComparison.Ordinal));

        var settings = InfraSettings.From(node);

        // A Debian-only bundle has no Grafana, and VictoriaMetrics is switched off: their servers would only answer 502.
        Assert.Equal(["wiki"], settings.PortalServers.Select(s => s.Name));
        Assert.Equal([("grafana", "Grafana"), ("vmetrics", "VictoriaMetrics")], settings.IdlePortalServers.Select(i => (i.Server.Name, i.Component)));
        Assert.DoesNotContain("g.pigsty", settings.CertificateNames);
        Assert.Contains("infra_portal.grafana: no nginx server for g.pigsty: it proxies 10.10.10.10:3000, and Grafana does not run here", Plan(node).Notes);
        Assert.DoesNotContain(Plan(node).Steps.Single(s => s.Id == "infra.nginx").Title.Split(", "), t => t.StartsWith("g.pigsty", StringComparison.Ordinal));

        // On a bundle with Grafana, and VictoriaMetrics on, both get their server.
        var full = InfraSettings.From(Node(Portal));
        Assert.Equal(["grafana", "vmetrics", "wiki"], full.PortalServers.Select(s => s.Name));
        Assert.Empty(full.IdlePortalServers);
    }
}

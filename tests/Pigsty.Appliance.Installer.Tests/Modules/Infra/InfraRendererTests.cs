using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>Every file INFRA renders, compared with its checked-in golden copy (PIGSTY_UPDATE_GOLDEN=1 rewrites them and fails).</summary>
public sealed class InfraRendererTests : IDisposable
{
    /// <summary>A bundle that brought Grafana and VictoriaLogs from binary sources.</summary>
    public static readonly Dictionary<string, string> FullBundle = new()
    {
        [InfraSettings.GrafanaPackage] = "11.3.0",
        [InfraSettings.VictoriaLogsPackage] = "1.3.2",
    };

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>The single-node site with a Debian-only bundle (no Grafana, no VictoriaLogs).</summary>
    private InfraSettings Single() => InfraSettings.From(TestNode.Create(_root.Path));

    private InfraSettings Full() => InfraSettings.From(TestNode.Create(_root.Path, repo: FullBundle));

    [Fact]
    public void Nginx_main_config_and_portal_server()
    {
        Golden.Assert(NginxConfig.RenderMain(), "Modules/Infra/Golden/nginx.conf");
        Golden.Assert(NginxConfig.RenderPortal(Single(), InfraSettings.NginxCertificate, InfraSettings.NginxKey), "Modules/Infra/Golden/pigsty.conf");
        Golden.Assert(NginxConfig.RenderPortal(Full(), InfraSettings.NginxCertificate, InfraSettings.NginxKey), "Modules/Infra/Golden/pigsty.conf.full");
    }

    [Fact]
    public void Components_without_a_login_of_their_own_listen_on_loopback_only()
    {
        var settings = Full();

        // Issue 13: VictoriaMetrics (import, delete), vmalert, Alertmanager (silences), blackbox (/probe reaches any host).
        Assert.Contains("-httpListenAddr=127.0.0.1:8428", InfraUnits.VictoriaMetricsArguments(settings));
        Assert.Contains("-httpListenAddr=127.0.0.1:8880", InfraUnits.VmalertArguments(settings));
        Assert.Contains("--web.listen-address=127.0.0.1:9059", InfraUnits.AlertmanagerArguments(settings));
        Assert.Contains("--web.listen-address=127.0.0.1:9115", InfraUnits.BlackboxArguments(settings));
        Assert.Contains("-httpListenAddr=127.0.0.1:9428", InfraUnits.VictoriaLogs(settings).Render(), StringComparison.Ordinal);
        Assert.Contains("\nhttp_addr = 127.0.0.1\n", GrafanaConfig.Render(settings, "x"), StringComparison.Ordinal);

        // VictoriaMetrics scrapes them where they listen; the series still name this node.
        var own = settings.ScrapeTargets().Where(t => t.Job == "infra").ToList();
        Assert.All(own, t => Assert.StartsWith("127.0.0.1:", Assert.Single(t.Targets), StringComparison.Ordinal));
        Assert.All(own, t => Assert.Equal("10.10.10.10", t.Labels["ip"]));
    }

    [Fact]
    public void Portal_asks_for_a_login_except_for_the_repo_the_ca_certificate_and_grafana()
    {
        var portal = NginxConfig.RenderPortal(Full(), InfraSettings.NginxCertificate, InfraSettings.NginxKey);

        Assert.Contains("    auth_basic \"Pigsty portal\";\n    auth_basic_user_file /etc/nginx/pigsty.htpasswd;\n", portal, StringComparison.Ordinal);
        var open = portal.Split("\n    location ").Skip(1).Where(l => l.Contains("auth_basic off;", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(" {", StringComparison.Ordinal)]).ToList();
        Assert.Equal(["= /ca.crt", "/pigsty/", "/ui/"], open);
    }

    /// <summary>infra_portal entries beyond the built-in ones: one proxied (with websockets), one serving a directory.</summary>
    internal static readonly PortalServer[] ExtraServers =
    [
        new("wiki", ["wiki.pigsty", "docs.pigsty"], "10.10.10.10:9700", null, "http", Websocket: true, []),
        new("files", ["files.pigsty"], null, "/data/files", "http", Websocket: false, []),
    ];

    [Fact]
    public void Infra_portal_servers_ask_for_the_portal_login_too()
    {
        // Issue 12: an extra infra_portal server proxied its endpoint (or served its directory) to anyone.
        foreach (var server in ExtraServers)
        {
            var text = NginxConfig.RenderServer(Single(), server, InfraSettings.NginxCertificate, InfraSettings.NginxKey);

            Golden.Assert(text, $"Modules/Infra/Golden/portal-{server.Name}.conf");
            Assert.Contains("    auth_basic \"Pigsty portal\";\n    auth_basic_user_file /etc/nginx/pigsty.htpasswd;\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("auth_basic off", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Portal_page_lists_what_the_bundle_has_and_what_it_lacks()
    {
        var node = TestNode.Create(_root.Path);
        var page = PortalPage.Render(InfraSettings.From(node), ["Grafana (grafana) is not in the bundle: no dashboards, /ui/ is not served"], PortalPageTests.Queries,
            InstallModules.Descriptors.SelectMany(d => d.Connections(node.Inventory)).ToList());

        Golden.Assert(page, "Modules/Infra/Golden/index.html");
        // Self-contained: the site is offline, so no script, style sheet, font or image comes from anywhere else.
        Assert.DoesNotContain("src=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", page, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-query=\"pg_up{job=&quot;pgsql&quot;}\"><td><a href=\"/vmetrics/api/v1/query?query=pg_up%7Bjob%3D%22pgsql%22%7D\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/ui/\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/ui/\"", PortalPage.Render(Full(), []), StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Replace("http://10.10.10.10:9101/", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_config_and_records()
    {
        Golden.Assert(DnsmasqConfig.Render(Single()), "Modules/Infra/Golden/dnsmasq.conf");
        Golden.Assert(DnsmasqConfig.RenderRecords(Single().DnsRecords), "Modules/Infra/Golden/dns-infra");
    }

    [Fact]
    public void Ntp_server_role() =>
        Golden.Assert(ChronyServerConfig.Render(Single().NtpClients), "Modules/Infra/Golden/pigsty-server.conf");

    [Fact]
    public void Scrape_config_alertmanager_and_blackbox()
    {
        Golden.Assert(ScrapeConfig.Render(Single(), InstallModules.Descriptors), "Modules/Infra/Golden/prometheus.yml");
        Golden.Assert(AlertmanagerConfig.Render(), "Modules/Infra/Golden/alertmanager.yml");
        Golden.Assert(BlackboxConfig.Render(), "Modules/Infra/Golden/blackbox.yml");
    }

    [Fact]
    public void Grafana_config_and_datasource()
    {
        Golden.Assert(GrafanaConfig.Render(Full(), "Gr4fanaAdmin"), "Modules/Infra/Golden/grafana.ini");
        Golden.Assert(GrafanaConfig.RenderDatasource(Full()), "Modules/Infra/Golden/grafana-datasource.yml");
    }

    [Fact]
    public void Units()
    {
        Golden.Assert(InfraUnits.Nginx().Render(), "Modules/Infra/Golden/nginx.service");
        Golden.Assert(InfraUnits.Dnsmasq().Render(), "Modules/Infra/Golden/dnsmasq.service");
        Golden.Assert(InfraUnits.VictoriaMetrics(Single()).Render(), "Modules/Infra/Golden/victoria-metrics.service");
        Golden.Assert(InfraUnits.Vmalert(Single()).Render(), "Modules/Infra/Golden/vmalert.service");
        Golden.Assert(InfraUnits.Alertmanager(Single()).Render(), "Modules/Infra/Golden/prometheus-alertmanager.service");
        Golden.Assert(InfraUnits.Blackbox(Single()).Render(), "Modules/Infra/Golden/prometheus-blackbox-exporter.service");
        Golden.Assert(InfraUnits.Grafana().Render(), "Modules/Infra/Golden/grafana-server.service");
        Golden.Assert(InfraUnits.VictoriaLogs(Full()).Render(), "Modules/Infra/Golden/victoria-logs.service");
    }
}

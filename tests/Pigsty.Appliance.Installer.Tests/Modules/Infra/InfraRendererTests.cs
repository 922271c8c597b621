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
    public void Portal_page_lists_what_the_bundle_has_and_what_it_lacks()
    {
        var page = PortalPage.Render(Single(), ["Grafana (grafana) is not in the bundle: no dashboards, /ui/ is not served"]);

        Golden.Assert(page, "Modules/Infra/Golden/index.html");
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

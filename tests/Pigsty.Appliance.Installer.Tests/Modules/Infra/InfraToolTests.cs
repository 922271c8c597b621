using System.Net;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>INFRA's rendered files checked by the programs that read them (installed on the build host; nothing is started).</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class InfraToolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <summary>A site CA certificate for the scrape jobs that trust it (VictoriaMetrics reads the file when it loads its configuration).</summary>
    internal static string SiteCa { get; } = Installer.Shared.CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow).CertificatePem;

    public void Dispose() => _temp.Dispose();

    private InfraSettings Settings() => InfraSettings.From(TestNode.Create(_temp.File("root"), repo: InfraRendererTests.FullBundle));

    [Fact]
    public async Task Nginx_accepts_the_main_config_and_the_portal_with_every_component()
    {
        var settings = Settings();
        RealTool.Require("nginx");
        var now = DateTimeOffset.UtcNow;
        var root = CertificateAuthority.CreateRoot("pigsty-ca", now);
        var issued = CertificateAuthority.Load(root.CertificatePem, root.PrivateKeyPem)
            .Issue(settings.PortalDomain, settings.CertificateNames, [IPAddress.Loopback], now);
        var main = _temp.Write("nginx/nginx.conf", NginxConfig.RenderMain());
        File.Copy("/etc/nginx/mime.types", _temp.File("nginx/mime.types"));
        _temp.Write("nginx/conf.d/pigsty.conf",
            NginxConfig.RenderPortal(settings, _temp.Write("nginx.crt", issued.CertificatePem), _temp.Write("nginx.key", issued.PrivateKeyPem)));
        foreach (var server in InfraRendererTests.ExtraServers)
        {
            _temp.Write($"nginx/conf.d/{server.Name}.conf", NginxConfig.RenderServer(settings, server, _temp.File("nginx.crt"), _temp.File("nginx.key")));
        }

        var result = await RealTool.CheckAsync("nginx", "-t", "-c", main);

        Assert.Contains("test is successful", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dnsmasq_accepts_its_config() =>
        await RealTool.CheckAsync("dnsmasq", "--test", $"--conf-file={_temp.Write("dnsmasq.conf", DnsmasqConfig.Render(Settings(), _temp.Path))}");

    [Fact]
    public async Task Vmalert_dry_run_does_reject_a_broken_rule()
    {
        _temp.Write("rules/broken.yml", InfraModule.Rules.Single(r => r.FileName == "node.yml").Text.Replace("> 0.90", "> > 0.90", StringComparison.Ordinal));

        var result = await RealTool.RunAsync("vmalert", "-dryRun", $"-rule={_temp.File("rules")}/*.yml");

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Alertmanager_accepts_its_config()
    {
        var result = await RealTool.CheckAsync("amtool", "check-config", _temp.Write("alertmanager.yml", AlertmanagerConfig.Render()));

        Assert.Contains("SUCCESS", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Victoria_metrics_accepts_the_scrape_config() =>
        await RealTool.CheckAsync("victoria-metrics",
            $"-promscrape.config={_temp.Write("prometheus.yml", ScrapeConfig.Render(Settings(), InstallModules.Descriptors, _temp.File("targets"), _temp.Write("ca.crt", SiteCa)))}",
            "-promscrape.config.dryRun", "-loggerLevel=ERROR");

    [Fact]
    public async Task Blackbox_accepts_its_modules() =>
        await RealTool.CheckAsync("prometheus-blackbox-exporter",
            "--config.check", $"--config.file={_temp.Write("blackbox.yml", BlackboxConfig.Render())}");

    /// <summary>Grafana's and VictoriaLogs' units are left out: their programs are not in Debian, so systemd would only report them missing.</summary>
    [Fact]
    public async Task Systemd_accepts_the_units_of_debian_components()
    {
        var settings = Settings();
        await UnitCheck.VerifyAsync(_temp, InfraUnits.Nginx(), InfraUnits.Dnsmasq(), InfraUnits.VictoriaMetrics(settings), InfraUnits.Vmalert(settings),
            InfraUnits.Alertmanager(settings), InfraUnits.Blackbox(settings));
    }
}

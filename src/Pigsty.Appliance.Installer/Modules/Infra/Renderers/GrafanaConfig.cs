using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>Grafana behind the portal at <c>/ui/</c>, offline, with VictoriaMetrics provisioned as its default data source.</summary>
public static class GrafanaConfig
{
    public const string Path = "/etc/grafana/grafana.ini";

    public const string DatasourcePath = "/etc/grafana/provisioning/datasources/pigsty.yml";

    /// <summary>The inventory variable of the admin password (generated when the seed does not give one).</summary>
    public const string PasswordVar = "grafana_admin_password";

    /// <summary>grafana.ini; <paramref name="adminPassword"/> is set on first start only (Grafana keeps it in its database).</summary>
    public static string Render(InfraSettings settings, string adminPassword)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(adminPassword);
        return new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA): Grafana served under https://").Append(settings.PortalDomain).Append("/ui/\n")
            .Append("[server]\n")
            .Append("# loopback only: people reach Grafana through nginx at /ui/\n")
            .Append("http_addr = 127.0.0.1\n")
            .Append("http_port = ").Append(settings.GrafanaPort).Append('\n')
            .Append("root_url = %(protocol)s://%(domain)s:%(http_port)s/ui/\n")
            .Append("serve_from_sub_path = true\n\n")
            .Append("[security]\n")
            .Append("admin_user = admin\n")
            // Triple quotes make Grafana read the value literally (a # or ; in a password is not a comment).
            .Append("admin_password = \"\"\"").Append(adminPassword).Append("\"\"\"\n\n")
            .Append("[users]\n")
            .Append("allow_sign_up = false\n\n")
            .Append("# the site is offline: no phoning home\n")
            .Append("[analytics]\n")
            .Append("reporting_enabled = false\n")
            .Append("check_for_updates = false\n")
            .Append("check_for_plugin_updates = false\n\n")
            .Append("[news]\n")
            .Append("news_feed_enabled = false\n\n")
            .Append("[log]\n")
            .Append("mode = console\n")
            .ToString();
    }

    /// <summary>VictoriaMetrics as a Prometheus data source, named as Pigsty names it.</summary>
    public static string RenderDatasource(InfraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA)\n")
            .Append("apiVersion: 1\n")
            .Append("datasources:\n")
            .Append("  - name: vmetrics-prometheus\n")
            .Append("    uid: vmetrics-prometheus\n")
            .Append("    type: prometheus\n")
            .Append("    access: proxy\n")
            .Append("    url: http://127.0.0.1:").Append(settings.VmetricsPort).Append('\n')
            .Append("    isDefault: true\n")
            .Append("    editable: true\n")
            .ToString();
    }
}

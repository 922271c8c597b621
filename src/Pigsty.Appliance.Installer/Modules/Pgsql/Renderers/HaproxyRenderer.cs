using System.Text;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>
/// The cluster's services (<c>pg_default_services</c> + <c>pg_services</c>) as an HAProxy file in /etc/haproxy/conf.d: one
/// <c>listen &lt;cluster&gt;-&lt;name&gt;</c> per service, its instances picked by the selectors, routed by Patroni's REST health checks.
/// </summary>
public static class HaproxyRenderer
{
    /// <summary>Where the file lives (NODE's haproxy loads the directory).</summary>
    public static string Path(PgsqlSettings settings) => $"{Shared.NodePaths.HaproxyServices}/{settings?.Cluster}.cfg";

    public static string Render(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder($"# services of PostgreSQL cluster {settings.Cluster}, written by pigsty-appliance\n");
        foreach (var route in settings.Services)
        {
            var service = route.Service;
            text.Append("\n# selector ").Append(service.Selector).Append(", backup ").Append(service.Backup).Append(", dest ").Append(service.Dest).Append('\n');
            text.Append("listen ").Append(settings.Cluster).Append('-').Append(service.Name).Append('\n');
            text.Append("    bind ").Append(service.Ip).Append(':').Append(service.Port).Append('\n');
            text.Append("    mode tcp\n    maxconn ").Append(service.MaxConn).Append("\n    balance ").Append(service.Balance).Append('\n');
            text.Append("    option httpchk\n    option http-keep-alive\n");
            text.Append("    http-check send meth OPTIONS uri ").Append(service.Check).Append('\n');
            text.Append("    http-check expect status 200\n");
            text.Append("    default-server ").Append(route.DefaultServer).Append('\n');
            foreach (var server in route.Servers)
            {
                text.Append("    server ").Append(server.Name).Append(' ').Append(new System.Net.IPEndPoint(server.Address, server.Port))
                    .Append(" check port ").Append(server.CheckPort).Append(" weight ").Append(server.Weight)
                    .Append(server.Backup ? " backup\n" : "\n");
            }
        }

        return text.ToString();
    }
}

using System.Text;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>One <c>haproxy_services</c> entry as its own file in /etc/haproxy/conf.d, loaded after haproxy.cfg.</summary>
public static class HaproxyServiceFile
{
    /// <summary>The file of a service: <c>conf.d/&lt;name&gt;.cfg</c>.</summary>
    public static string Path(HaproxyService service) => $"{NodePaths.HaproxyServices}/{service?.Name}.cfg";

    public static string Render(HaproxyService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var text = new StringBuilder($"# haproxy_services entry {service.Name}, written by pigsty-appliance (NODE)\n")
            .Append("listen ").Append(service.Name).Append('\n')
            .Append("    bind ").Append(service.Ip).Append(':').Append(service.Port).Append('\n')
            .Append("    mode ").Append(service.Protocol).Append('\n')
            .Append("    maxconn ").Append(service.MaxConn).Append('\n')
            .Append("    balance ").Append(service.Balance).Append('\n');
        foreach (var option in service.Options)
        {
            text.Append("    ").Append(option).Append('\n');
        }

        text.Append("    default-server ").Append(service.Default).Append('\n');
        foreach (var server in service.Servers)
        {
            text.Append("    server ").Append(server.Name).Append(' ').Append(System.Net.IPAddress.TryParse(server.Ip, out var ip) ? HostAddress.ForUri(ip) : server.Ip).Append(':').Append(server.Port)
                .Append(server.Backup ? " backup" : "")
                .Append(server.Weight is { } weight ? $" weight {weight}" : "")
                .Append(server.Options.Length > 0 ? " " + server.Options : "").Append('\n');
        }

        return text.ToString();
    }
}

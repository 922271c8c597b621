using System.Text;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>
/// The cluster's default services as an HAProxy file in /etc/haproxy/conf.d: primary 5433 and replica 5434 through pgbouncer,
/// default 5436 and offline 5438 straight to PostgreSQL, each routed by Patroni's REST health checks.
/// </summary>
public static class HaproxyRenderer
{
    /// <summary>Where the file lives (NODE's haproxy loads the directory).</summary>
    public static string Path(PgsqlSettings settings) => $"{Shared.NodePaths.HaproxyServices}/{settings?.Cluster}.cfg";

    public static string Render(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var members = settings.Members;
        var offline = members.Where(m => m.Role == PgRole.Offline || m.OfflineQuery).ToList();
        var text = new StringBuilder($"# services of PostgreSQL cluster {settings.Cluster}, written by pigsty-appliance\n");
        Service(text, settings, "primary", 5433, settings.PgbouncerPort, "/primary", members, []);
        Service(text, settings, "replica", 5434, settings.PgbouncerPort, "/read-only", members,
            members.Where(m => m.Role is PgRole.Primary or PgRole.Offline).ToList());
        Service(text, settings, "default", 5436, settings.Port, "/primary", members, []);
        Service(text, settings, "offline", 5438, settings.Port, "/replica", offline,
            members.Where(m => m.Role == PgRole.Replica && !m.OfflineQuery).ToList());
        return text.ToString();
    }

    private static void Service(StringBuilder text, PgsqlSettings settings, string name, int port, int destination, string check,
        IReadOnlyList<PgMember> servers, IReadOnlyList<PgMember> backups)
    {
        text.Append("\nlisten ").Append(settings.Cluster).Append('-').Append(name).Append('\n');
        text.Append("    bind *:").Append(port).Append('\n');
        text.Append("    mode tcp\n    maxconn 5000\n    balance roundrobin\n");
        text.Append("    option httpchk\n    option http-keep-alive\n");
        text.Append("    http-check send meth OPTIONS uri ").Append(check).Append('\n');
        text.Append("    http-check expect status 200\n");
        text.Append("    default-server inter 3s fastinter 1s downinter 5s rise 3 fall 3 on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100\n");
        foreach (var member in servers.Concat(backups.Where(b => !servers.Contains(b))))
        {
            text.Append("    server ").Append(member.Name).Append(' ').Append(new System.Net.IPEndPoint(member.Address, destination))
                .Append(" check port ").Append(settings.PatroniPort).Append(" weight ").Append(member.Weight)
                .Append(backups.Contains(member) ? " backup\n" : "\n");
        }
    }
}

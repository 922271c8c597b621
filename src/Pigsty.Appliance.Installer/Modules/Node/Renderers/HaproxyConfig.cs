using System.Text;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>
/// <c>/etc/haproxy/haproxy.cfg</c>: global settings, defaults for TCP services and the admin/stats page with the Prometheus
/// exporter; PGSQL's services are separate files in <see cref="NodePaths.HaproxyServices"/>, loaded after this one.
/// </summary>
public static class HaproxyConfig
{
    public const string Path = "/etc/haproxy/haproxy.cfg";

    /// <summary>
    /// 0640 root:haproxy: the file holds the admin password. Our unit starts haproxy as root, so the master reads it before
    /// dropping to the haproxy user (global user/group), and reads it again as root on reload.
    /// </summary>
    public static FileSpec Spec { get; } = FileSpec.ReadableBy("haproxy");

    /// <summary>The configuration for this node; <paramref name="adminPassword"/> guards the admin page (metrics stay open).</summary>
    public static string Render(NodeSettings settings, string adminPassword)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(adminPassword);

        if (!IsWritable(adminPassword))
        {
            throw new ArgumentException("the HAProxy admin password must be non-empty and without a single quote", nameof(adminPassword));
        }

        return new StringBuilder()
            .Append("# written by pigsty-appliance (NODE) for ").Append(settings.Hostname).Append(" @ ").Append(settings.Address).Append('\n')
            .Append("# Service files (PGSQL: <cluster>.cfg) live in ").Append(NodePaths.HaproxyServices).Append(" and are loaded after this file.\n\n")
            .Append("global\n")
            .Append("    user        haproxy\n")
            .Append("    group       haproxy\n")
            .Append("    node        ").Append(settings.Hostname).Append('\n')
            .Append("    # notice and above only: server state changes reach the journal, single connections do not\n")
            .Append("    log         /dev/log local0 notice\n")
            .Append("    stats socket /run/haproxy/admin.sock mode 660 level admin\n")
            .Append("    stats timeout 30s\n")
            .Append("    maxconn     65535\n\n")
            .Append("defaults\n")
            .Append("    log                global\n")
            .Append("    mode               tcp\n")
            .Append("    retries            3\n")
            .Append("    timeout queue      3s\n")
            .Append("    timeout connect    3s\n")
            .Append("    timeout client     ").Append(settings.HaproxyClientTimeout).Append('\n')
            .Append("    timeout server     ").Append(settings.HaproxyServerTimeout).Append('\n')
            .Append("    timeout check      3s\n\n")
            .Append("userlist stats-auth\n")
            .Append("    group admin users ").Append(settings.HaproxyAdminUser).Append('\n')
            .Append("    user ").Append(settings.HaproxyAdminUser).Append(" insecure-password '").Append(adminPassword).Append("'\n\n")
            .Append("# admin page http://").Append(HostAddress.ForUri(settings.Address)).Append(':').Append(settings.HaproxyAdminPort)
            .Append("/haproxy/").Append(settings.Hostname).Append("/ and Prometheus metrics at /metrics\n")
            .Append("listen stats\n")
            .Append("    # the node's address only: scraped from the INFRA node, opened by people at that address\n")
            .Append("    bind ").Append(new System.Net.IPEndPoint(settings.Address, settings.HaproxyAdminPort)).Append('\n')
            .Append("    mode http\n")
            .Append("    http-request use-service prometheus-exporter if { path /metrics }\n")
            .Append("    stats enable\n")
            .Append("    stats hide-version\n")
            .Append("    stats uri /haproxy/").Append(settings.Hostname).Append("/\n")
            .Append("    stats refresh 30s\n")
            .Append("    stats show-node\n")
            .Append("    acl AUTH       http_auth(stats-auth)\n")
            .Append("    acl AUTH_ADMIN http_auth_group(stats-auth) admin\n")
            .Append("    stats http-request auth unless AUTH\n")
            .Append("    stats admin if AUTH_ADMIN\n")
            .ToString();
    }

    /// <summary>
    /// True when the password can be written: single quotes are haproxy's strong quoting (no escapes, no variable expansion),
    /// so a quote inside cannot be.
    /// </summary>
    public static bool IsWritable(string password) => password.Length > 0 && !password.Contains('\'', StringComparison.Ordinal);
}

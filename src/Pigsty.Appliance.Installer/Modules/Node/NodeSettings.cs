using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>What NODE configures on this node, read once from the inventory with Pigsty's parameter names and defaults.</summary>
/// <param name="EtcHosts">Static records for <c>/etc/hosts</c> (<c>node_default_etc_hosts</c> + <c>node_etc_hosts</c>), <c>${admin_ip}</c> expanded.</param>
/// <param name="RepoUri">Where apt finds the local repository: <c>file:/www/pigsty</c> on the admin node, <c>http://admin_ip/pigsty</c> elsewhere.</param>
/// <param name="NtpSources">chrony source directives (<c>node_ntp_servers</c>); the node's own address is left out.</param>
/// <param name="ExtraSysctl">Extra kernel parameters (<c>node_sysctl_params</c>), written after ours.</param>
public sealed record NodeSettings(
    string Hostname,
    IPAddress Address,
    IPAddress AdminIp,
    string Cluster,
    IReadOnlyList<string> EtcHosts,
    string RepoUri,
    bool RepoRemoveOthers,
    bool NtpEnabled,
    IReadOnlyList<string> NtpSources,
    bool HaproxyEnabled,
    int HaproxyAdminPort,
    string HaproxyAdminUser,
    string HaproxyClientTimeout,
    string HaproxyServerTimeout,
    bool NodeExporterEnabled,
    int NodeExporterPort,
    int OvercommitRatio,
    IReadOnlyList<KeyValuePair<string, string>> ExtraSysctl,
    NodeAdmin? Admin)
{
    /// <summary>The inventory variable holding the HAProxy admin password (generated when the seed does not give one).</summary>
    public const string HaproxyPasswordVar = "haproxy_admin_password";

    /// <summary>Reads the settings for <paramref name="node"/>.</summary>
    public static NodeSettings From(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var vars = node.Vars;
        var admin = node.AdminIp.ToString();
        var defaultHosts = vars.Strings("node_default_etc_hosts", ["${admin_ip} i.pigsty"]);
        var etcHosts = new List<string> { $"{node.Address} {node.Hostname}" };
        etcHosts.AddRange(defaultHosts.Concat(vars.Strings("node_etc_hosts", [])).Select(r => Expand(r, admin)));

        // Pigsty's rule: a source naming ${admin_ip} is left out on the admin node itself, which serves time instead.
        var ntp = vars.Strings("node_ntp_servers", ["${admin_ip}"])
            .Where(s => !(node.IsAdmin && s.Contains("${admin_ip}", StringComparison.Ordinal)))
            .Select(s => Expand(s, admin))
            .Select(s => s.Contains(' ', StringComparison.Ordinal) ? s : $"server {s} iburst")
            .Where(s => !s.Split(' ').Contains(node.Address.ToString()))
            .ToList();

        return new NodeSettings(
            node.Hostname,
            node.Address,
            node.AdminIp,
            vars.String("node_cluster", "nodes"),
            etcHosts,
            node.IsAdmin ? $"file:{NodeLayout.Repo}" : $"http://{HostAddress.ForUri(node.AdminIp)}/pigsty",
            vars.Bool("node_repo_remove", true),
            vars.Bool("node_ntp_enabled", true),
            ntp,
            vars.Bool("haproxy_enabled", true),
            vars.Int("haproxy_exporter_port", 9101),
            vars.String("haproxy_admin_username", "admin"),
            vars.String("haproxy_client_timeout", "24h"),
            vars.String("haproxy_server_timeout", "24h"),
            vars.Bool("node_exporter_enabled", true),
            vars.Int("node_exporter_port", 9100),
            vars.Int("node_overcommit_ratio", 0),
            vars.Find("node_sysctl_params") is { } extra
                ? extra.AsMapping().Entries.Select(e => KeyValuePair.Create(e.Key, e.Value.AsString())).ToList()
                : [],
            vars.Bool("node_admin_enabled", true)
                ? new NodeAdmin(vars.String("node_admin_username", "dba"), vars.Int("node_admin_uid", 88), vars.Strings("node_admin_pk_list", []))
                : null);
    }

    /// <summary>The file_sd target list for this node's exporters (node_exporter, HAProxy), job <c>node</c>.</summary>
    public ScrapeTarget ScrapeTarget() => new(
        "node",
        Address.ToString(),
        [
            .. NodeExporterEnabled ? [$"{HostAddress.ForUri(Address)}:{NodeExporterPort}"] : Array.Empty<string>(),
            .. HaproxyEnabled ? [$"{HostAddress.ForUri(Address)}:{HaproxyAdminPort}"] : Array.Empty<string>(),
        ],
        Shared.ScrapeTarget.Identity(Cluster, Hostname, Address.ToString()));

    private static string Expand(string text, string adminIp) => text.Replace("${admin_ip}", adminIp, StringComparison.Ordinal);
}

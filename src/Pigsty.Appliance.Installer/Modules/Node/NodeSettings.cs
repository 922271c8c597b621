using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>What NODE configures on this node, read once from the inventory with Pigsty's parameter names and defaults.</summary>
/// <param name="EtcHosts">Static records for <c>/etc/hosts</c> (<c>node_default_etc_hosts</c> + <c>node_etc_hosts</c>), <c>${admin_ip}</c> expanded.</param>
/// <param name="RepoUri">Where apt finds the local repository: <c>file:/www/pigsty</c>, the bundle on the node's own disk, on every node.</param>
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
    /// <summary><c>nodename_overwrite</c>: false keeps the hostname the machine has.</summary>
    public bool SetHostname { get; init; } = true;

    /// <summary><c>node_write_etc_hosts</c>: false leaves /etc/hosts alone.</summary>
    public bool WriteEtcHosts { get; init; } = true;

    /// <summary><c>node_dns_method</c>: add, overwrite or none.</summary>
    public string DnsMethod { get; init; } = "add";

    /// <summary><c>node_dns_servers</c>, <c>${admin_ip}</c> expanded.</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];

    /// <summary><c>node_dns_options</c>: whole lines of /etc/resolv.conf.</summary>
    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    /// <summary><c>node_timezone</c>; empty leaves the time zone alone.</summary>
    public string Timezone { get; init; } = "";

    /// <summary><c>node_crontab</c> (lines with a user, as in /etc/crontab).</summary>
    public IReadOnlyList<CronEntry> Crontab { get; init; } = [];

    /// <summary><c>node_crontab_overwrite</c>: timers of entries no longer listed are removed.</summary>
    public bool CrontabOverwrite { get; init; } = true;

    /// <summary><c>node_packages</c> and <c>node_default_packages</c>, each checked to be in the bundle.</summary>
    public IReadOnlyList<string> ExtraPackages { get; init; } = [];

    /// <summary><c>node_aliases</c>: shell aliases for login shells.</summary>
    public IReadOnlyList<(string Name, string Command)> Aliases { get; init; } = [];

    /// <summary><c>node_tune</c>: oltp, olap, crit, tiny or none.</summary>
    public string Tune { get; init; } = "oltp";

    /// <summary><c>haproxy_services</c>: extra HAProxy services, one file each.</summary>
    public IReadOnlyList<HaproxyService> HaproxyServices { get; init; } = [];

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
        if (vars.Bool("nodename_exchange", false))
        {
            // Pigsty's nodename_exchange: every node of the inventory by its name.
            etcHosts.AddRange(node.Inventory.Hosts.Where(h => !h.Address.Equals(node.Address)).Select(h => $"{h.Address} {(node with { Host = h }).Hostname}"));
        }

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
            // Every appliance node carries the verified bundle on its own disk: installing from it, a node waits on no other
            // (Pigsty's other nodes fetch from the admin node's nginx; here that would hold a whole site behind one node).
            $"file:{NodeLayout.Repo}",
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
                : KernelTuning.DefaultExtra,
            vars.Bool("node_admin_enabled", true)
                ? new NodeAdmin(vars.String("node_admin_username", "dba"), vars.Int("node_admin_uid", 88), vars.Strings("node_admin_pk_list", []))
                {
                    SudoWithoutPassword = vars.Find("node_admin_sudo") is not { } sudo || sudo.AsString() switch
                    {
                        "nopass" => true,
                        "all" => false,
                        var other => throw sudo.Error($"unknown node_admin_sudo '{other}' (expected nopass or all)"),
                    },
                }
                : null)
        {
            HaproxyServices = HaproxyServicesOf(node),
            Tune = TuneOf(vars),
            SetHostname = vars.Bool("nodename_overwrite", true),
            WriteEtcHosts = vars.Bool("node_write_etc_hosts", true),
            DnsMethod = DnsMethodOf(vars),
            DnsServers = vars.Strings("node_dns_servers", ["${admin_ip}"]).Select(s => Expand(s, admin)).ToList(),
            DnsOptions = vars.Strings("node_dns_options", ["options single-request-reopen timeout:1"]),
            Timezone = vars.String("node_timezone", ""),
            Crontab = vars.Find("node_crontab")?.AsSequence().Items.Select(l => CronEntry.Parse(l, null)).ToList() ?? [],
            CrontabOverwrite = vars.Bool("node_crontab_overwrite", true),
            ExtraPackages = [.. Packages(node, "node_default_packages"), .. Packages(node, "node_packages")],
            Aliases = vars.Find("node_aliases") is YamlMapping aliases
                ? aliases.Entries.Select(e => ShellAliases.IsName(e.Key) ? (e.Key, e.Value.AsString()) : throw e.Value.Error($"'{e.Key}' is not an alias name")).ToList()
                : [],
        };
    }

    private static string DnsMethodOf(Core.Inventory.VarSet vars) => vars.Find("node_dns_method") is { } value
        ? value.AsString() is "add" or "overwrite" or "none" ? value.AsString()
            : throw value.Error($"unknown node_dns_method '{value.AsString()}' (expected add, overwrite or none)")
        : "add";

    /// <summary>
    /// A package list as Pigsty writes it (entries may hold several names, space or comma separated); what the bundle lacks is a seed
    /// error naming every such package, before anything runs.
    /// </summary>
    private static List<string> Packages(NodeContext node, string name)
    {
        if (node.Vars.Find(name) is not { } value)
        {
            return [];
        }

        var packages = value.AsSequence().Items
            .SelectMany(i => i.AsString().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return packages.Where(p => !node.Repo.Has(p)).ToList() is { Count: > 0 } lacking
            ? throw value.Error($"not in the bundled repository: {string.Join(", ", lacking)} (add them to the recipe, or drop them here)")
            : packages;
    }

    private static string TuneOf(Core.Inventory.VarSet vars) => vars.Find("node_tune") is { } value
        ? KernelTuning.Profiles.Contains(value.AsString()) ? value.AsString()
            : throw value.Error($"unknown node_tune '{value.AsString()}' (expected {string.Join(", ", KernelTuning.Profiles)})")
        : "oltp";

    /// <summary>haproxy_services; a name that is also a PostgreSQL cluster's (whose file it would overwrite) or a reused port is an input error.</summary>
    private static IReadOnlyList<HaproxyService> HaproxyServicesOf(NodeContext node)
    {
        if (node.Vars.Find("haproxy_services") is not { } value)
        {
            return [];
        }

        var services = value.AsSequence().Items.Select(HaproxyService.Parse).ToList();
        if (node.Pg is { } pg && services.FirstOrDefault(s => s.Name == pg.Cluster.Name) is { } clash)
        {
            throw value.Error($"haproxy_services entry '{clash.Name}' has the name of this node's PostgreSQL cluster, whose services file it would replace");
        }

        var reused = services.GroupBy(s => s.Name).Concat(services.GroupBy(s => s.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .FirstOrDefault(g => g.Count() > 1);
        return reused is null ? services : throw value.Error($"haproxy_services entries {string.Join(" and ", reused.Select(s => s.Name))} share '{reused.Key}'");
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

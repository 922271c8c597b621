using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>
/// Pigsty's NODE module, on every node: identity, <c>/etc/hosts</c>, the local repository as package source, kernel tuning,
/// chrony, HAProxy (admin page on 9101, service files from conf.d) and node_exporter (9100), registered for scraping, and the
/// host firewall, which opens the ports that the node's modules in <paramref name="modules"/> declare.
/// </summary>
public sealed class NodeModule(IReadOnlyList<ModuleDescriptor> modules) : IModule
{
    /// <summary>Packages of the log agent Pigsty runs on every node; Debian 12 has none, a bundle may carry one.</summary>
    private const string VectorPackage = "vector";

    /// <summary>Every package NODE installs with Pigsty's defaults (what an image can preinstall).</summary>
    public static readonly IReadOnlyList<string> DefaultPackages = ["chrony", "haproxy", "prometheus-node-exporter", FirewallPackage];

    private const string FirewallPackage = "nftables";

    /// <summary>NODE runs on every host; node_exporter and HAProxy's admin page are scraped as job <c>node</c>.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("NODE", ModuleGroup.EveryHost, DefaultPackages, ["node-package"],
        [new ScrapeJob("node", "/metrics", "node_exporter and HAProxy of every node")], [])
    {
        Ports = [new("sshd", 22), new("node_exporter", 9100, "node_exporter_port"), new("haproxy admin page and metrics", 9101, "haproxy_exporter_port")],
    };

    public string Name => Descriptor.Name;

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var settings = NodeSettings.From(node);
        var firewall = FirewallSettings.From(node, modules);
        var notes = new List<string>();
        var packages = new List<string>();
        var services = new List<Step>();
        if (settings.NtpEnabled)
        {
            packages.Add(DefaultPackages[0]);
            services.Add(NodeSteps.Chrony(settings));
        }
        else
        {
            notes.Add("chrony skipped: node_ntp_enabled is false (the node keeps whatever time sync it has)");
        }

        if (settings.HaproxyEnabled)
        {
            packages.Add(DefaultPackages[1]);
            services.Add(NodeSteps.Haproxy(settings));
        }
        else
        {
            notes.Add("haproxy skipped: haproxy_enabled is false (no admin page, and PGSQL services cannot be exposed on this node)");
        }

        if (settings.NodeExporterEnabled)
        {
            packages.Add(DefaultPackages[2]);
            services.Add(NodeSteps.NodeExporter(settings));
        }
        else
        {
            notes.Add("node_exporter skipped: node_exporter_enabled is false (no machine metrics from this node)");
        }

        if (settings.Admin is { PublicKeys.Count: 0 } keyless)
        {
            notes.Add($"warning: node_admin_pk_list is empty: nobody can log in as the admin user {keyless.Username} by SSH key "
                + "(it has no password), and root cannot log in over SSH; add a public key to node_admin_pk_list");
        }

        if (firewall.Mode == FirewallSettings.None)
        {
            notes.Add("firewall skipped: node_firewall_mode is none (the site manages this node's firewall)");
        }
        else
        {
            packages.Add(FirewallPackage);
        }

        if (!node.Repo.Has(VectorPackage))
        {
            notes.Add("vector is not in the bundle: logs stay in this node's journal, nothing is shipped to VictoriaLogs");
        }

        if (node.Vars.Bool("vip_enabled", false))
        {
            notes.Add("vip_enabled is set, but the node VIP (keepalived) is not part of this installer yet: no VIP is configured");
        }

        List<Step> steps =
        [
            NodeSteps.Hostname(settings),
            .. settings.Admin is { } admin ? [NodeSteps.Admin(admin)] : Array.Empty<Step>(),
            NodeSteps.Sshd(settings),
            NodeSteps.Hosts(settings),
            NodeSteps.Repo(settings),
            .. packages.Count > 0 ? [CommonSteps.Packages("node.packages", packages)] : Array.Empty<Step>(),
            NodeSteps.Tune(settings),
            .. firewall.Mode == FirewallSettings.None ? Array.Empty<Step>() : [NodeSteps.Firewall(firewall)],
            .. services,
            .. settings.HaproxyEnabled || settings.NodeExporterEnabled ? [NodeSteps.Register(settings)] : Array.Empty<Step>(),
        ];
        return ModulePlan.Run(Name, steps, notes);
    }
}

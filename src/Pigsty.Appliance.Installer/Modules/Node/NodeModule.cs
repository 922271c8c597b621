using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
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

    /// <summary>The node VIP's daemon (<c>vip_enabled</c>), in the recipe's node-package group.</summary>
    private const string KeepalivedPackage = "keepalived";

    /// <summary>NODE runs on every host; node_exporter and HAProxy's admin page are scraped as job <c>node</c>.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("NODE", ModuleGroup.EveryHost, _ => DefaultPackages, ["node-package"],
        [new ScrapeJob("node", "/metrics", "node_exporter and HAProxy of every node")], [])
    {
        Ports = [new("sshd", 22), new("node_exporter", 9100, "node_exporter_port"), new("haproxy admin page and metrics", 9101, "haproxy_exporter_port")],
        Queries = [new("Disk used", "100 * (1 - node_filesystem_avail_bytes{job=\"node\",fstype!~\"tmpfs|ramfs|squashfs|overlay\"} / "
            + "node_filesystem_size_bytes{job=\"node\",fstype!~\"tmpfs|ramfs|squashfs|overlay\"})", "% of each filesystem")],
        InventoryPorts = vars => vars.Find("haproxy_services")?.AsSequence().Items.Select(HaproxyService.Parse).Select(s => new ServicePort($"haproxy service {s.Name}", s.Port)) ?? [],
    };

    public string Name => Descriptor.Name;

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.Issues && node.Material.Has(CertificateSteps.CaKeyPath))
        {
            // Whoever holds the key can mint certificates for every service of the site: the admin node only.
            throw new InputException(new InputProblem(node.Host.Location, node.Host.Path, node.IsAdmin
                ? $"this node holds the site CA's private key {CertificateSteps.CaKeyPath}, but its certificates come from the site material "
                    + "(pigsty-appliance site), whose CA key stays in the site directory: remove it here"
                : $"this node holds the site CA's private key {CertificateSteps.CaKeyPath} but is not the admin node ({node.AdminIp}): only the admin "
                    + "node may issue certificates; move the key to the admin node and remove it here"));
        }

        var settings = NodeSettings.From(node);
        var firewall = FirewallSettings.From(node, modules);
        var notes = new List<string>();
        var packages = new List<string>();
        var services = new List<Step>();
        if (settings.NtpEnabled)
        {
            packages.Add(DefaultPackages[0]);
            services.Add(NodeSteps.Chrony(settings).Giving(Outputs.Chrony));
        }
        else
        {
            notes.Add("chrony skipped: node_ntp_enabled is false (the node keeps whatever time sync it has)");
        }

        if (settings.HaproxyEnabled)
        {
            packages.Add(DefaultPackages[1]);
            services.Add(NodeSteps.Haproxy(settings).Giving(Outputs.Haproxy));
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
            notes.Add($"node_admin_pk_list is empty: first boot gives the admin user {keyless.Username} a one-time password, shown only on this "
                + $"node's local console and login banner ({AdminPassword.IssuePath}, never on the portal, in status.json or over the network), "
                + "which must be changed at the first login; add a public key to node_admin_pk_list for SSH by key");
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

        if (NodeVip.From(node) is { } vip)
        {
            packages.Add(KeepalivedPackage);
            services.Add(NodeSteps.Keepalived(vip));
        }

        // Pigsty's node_default_packages and node_packages (checked against the bundle by NodeSettings): what an image does not
        // carry is installed from the local repository at first boot.
        packages.AddRange(settings.ExtraPackages.Except(packages));
        if (!settings.SetHostname)
        {
            notes.Add($"hostname left as it is: nodename_overwrite is false (the node is still named {settings.Hostname} in /etc/hosts and metrics)");
        }

        // Identity, names, resolver, package source, kernel settings, time zone, aliases and timers depend on nothing; the services
        // on their packages and unit files.
        List<Step> steps =
        [
            .. settings.SetHostname ? [NodeSteps.Hostname(settings)] : Array.Empty<Step>(),
            .. settings.Admin is { } admin ? [NodeSteps.Admin(admin)] : Array.Empty<Step>(),
            .. settings.Admin is { PublicKeys.Count: 0 } noKeys ? [AdminPassword.Step(noKeys).After("node.admin")] : Array.Empty<Step>(),
            NodeSteps.Sshd(settings),
            // The rewrite drops the image's 127.0.1.1 line, so it waits for the new name: until then the old one would resolve
            // nowhere, and every sudo (Patroni's VIP callback among them) would wait for DNS to time out.
            .. settings.WriteEtcHosts ? [NodeSteps.Hosts(settings).Giving(Outputs.EtcHosts).After(settings.SetHostname ? ["node.hostname"] : [])] : Array.Empty<Step>(),
            .. settings.DnsMethod != "none" ? [NodeSteps.Dns(settings)] : Array.Empty<Step>(),
            NodeSteps.Repo(settings).Needing(Outputs.Bundle).Giving(Outputs.PackageSource),
            .. packages.Count > 0 ? [CommonSteps.Packages("node.packages", packages, node)] : Array.Empty<Step>(),
            NodeSteps.Tune(settings).Giving(Outputs.KernelTuning),
            .. settings.Timezone.Length > 0 ? [NodeSteps.Timezone(settings)] : Array.Empty<Step>(),
            .. settings.Aliases.Count > 0 ? [NodeSteps.Aliases(settings)] : Array.Empty<Step>(),
            // With node_crontab_overwrite (Pigsty's default) an emptied or removed node_crontab still plans the step: it takes away the
            // timers an earlier run wrote, as Pigsty's rewritten /etc/crontab would.
            .. settings.Crontab.Count > 0 || settings.CrontabOverwrite ? [NodeSteps.Crontab(settings)] : Array.Empty<Step>(),

            // nft comes with the packages.
            .. firewall.Mode == FirewallSettings.None ? Array.Empty<Step>() : [NodeSteps.Firewall(firewall).After("node.packages")],
            .. services.Count > 0 ? CommonSteps.WithUnits("node.units", services, "node.packages") : [],
            .. settings.HaproxyEnabled || settings.NodeExporterEnabled ? [NodeSteps.Register(settings)] : Array.Empty<Step>(),
        ];
        return ModulePlan.Run(Name, steps, notes);
    }
}

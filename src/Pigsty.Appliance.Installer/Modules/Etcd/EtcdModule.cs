using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>Pigsty's ETCD module: a TLS etcd member with RBAC on etcd nodes; scrape targets and alert rules on INFRA nodes.</summary>
public sealed class EtcdModule : IModule
{
    /// <summary>Debian's packages for the server and etcdctl.</summary>
    public static readonly IReadOnlyList<string> Packages = ["etcd-server", "etcd-client"];

    /// <summary>vmalert rules for etcd: a member down, a member without leader, leader churn, quota nearly full.</summary>
    public static readonly AlertRuleFile Rules = AlertRuleFile.Of("Etcd", "etcd.yml");

    /// <summary>ETCD runs on etcd_cluster groups; Pigsty ships etcd in its infra package group, and so does the recipe.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("ETCD", ModuleGroup.MemberClusters("etcd"), _ => Packages, ["infra-package"],
        [new ScrapeJob("etcd", "/metrics", "etcd members (plain http metrics port)")], [Rules])
    {
        Ports = [new("etcd", 2379, "etcd_port"), new("etcd peers", 2380, "etcd_peer_port"), new("etcd metrics", EtcdSettings.MetricsPort)],
    };

    public string Name => Descriptor.Name;

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var membership = node.Etcd;
        var registers = node.Infra is not null && node.Inventory.Etcd.Count > 0;
        if (membership is null && !registers)
        {
            return ModulePlan.Skip(Name, node.Inventory.Etcd.Count == 0
                ? "the inventory defines no etcd cluster"
                : "this node is neither an etcd member nor an INFRA node");
        }

        var steps = new List<Step>();
        if (membership is var (cluster, member))
        {
            var settings = EtcdSettings.From(node.Vars, cluster, member, node.Repo.Platform);
            var patroniClusters = node.Inventory.PgClusters.Where(c => PatroniEtcdUser.EtcdClusterOf(node.Inventory, c.Vars)?.Name == settings.Cluster).ToList();
            var missing = new List<InputProblem>();
            try
            {
                steps.AddRange(EtcdSteps.Member(settings, patroniClusters.Select(c => PatroniEtcdUser.Of(node.Inventory, c)).ToList(), node));
            }
            catch (InputException e)
            {
                missing.AddRange(e.Problems);
            }

            if (!node.Gives(EtcdSettings.RootPasswordName) && SharedSecret.IsShared(settings.Members.Select(m => m.Address)))
            {
                missing.Add(SharedSecret.Missing(node.Inventory.GlobalVars, EtcdSettings.RootPasswordName,
                    $"the members of etcd cluster '{settings.Cluster}'", settings.Members.Select(m => m.Address)));
            }

            if (settings.Member == settings.First)
            {
                missing.AddRange(patroniClusters.Select(c => PatroniEtcdUser.MissingPassword(node, c)).OfType<InputProblem>());
            }

            if (missing.Count > 0)
            {
                throw new InputException(missing);
            }
        }

        if (registers)
        {
            steps.Add(EtcdSteps.Register(node.Inventory.Etcd.Select(c => EtcdSettings.From(node.Vars, c, null, node.Repo.Platform)).ToList()));
        }

        return ModulePlan.Run(Name, steps);
    }

    /// <summary>How long to wait for /health: a lone member is quick, a member of a cluster needs a quorum of peers that may still be installing.</summary>
    public static TimeSpan HealthDeadline(EtcdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Members.Count == 1 ? TimeSpan.FromMinutes(2) : EtcdAuth.PeerDeadline;
    }
}

using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>
/// Every module planned on each host of a three-node site (three-node-vip.yml): INFRA on the first, ETCD and pg-test on all three,
/// the cluster VIP and the node VIP. Each plan is valid on its own: the cluster forms without one node waiting on another's plan.
/// </summary>
public sealed class ThreeNodeSitePlanTests : IDisposable
{
    private static readonly string[] Hosts = ["10.10.10.11", "10.10.10.12", "10.10.10.13"];

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static IModule[] Modules() =>
    [
        new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors), new EtcdModule(), new MinioModule(),
        new PgsqlModule(new FixedResources()),
    ];

    private InstallPlan Plan(string address, bool material)
    {
        var root = _root.File(address);
        Directory.CreateDirectory(root);
        if (material && address != Hosts[0])
        {
            ModuleNodes.WriteSiteMaterial(root, address, "etcd", "pgsql");
        }

        return InstallPlan.Create(ModuleNodes.Create(root, ModuleNodes.Sample("three-node-vip.yml"), address), Modules());
    }

    [Fact]
    public void Each_host_plans_its_share_of_the_cluster()
    {
        var plans = Hosts.Select(h => Plan(h, material: true)).ToList();
        var ids = plans.Select(p => p.Modules.SelectMany(m => m.Steps).Select(s => s.Id).ToList()).ToList();

        Golden.Assert(string.Join("\n", plans.Select(p => p.Describe())), "Modules/Pgsql/Golden/plans/three-node-vip.plan");
        Assert.Contains("infra.ca", ids[0]);
        Assert.Contains("pgsql.roles", ids[0]);
        Assert.Contains("etcd.patroni-users", ids[0]);
        Assert.All(ids, i => Assert.Contains("pgsql.vip", i));
        Assert.All(ids, i => Assert.Contains("node.keepalived", i));
        Assert.All(ids, i => Assert.Contains("pgsql.haproxy", i));
        Assert.All(ids.Skip(1), i =>
        {
            Assert.Contains("pgsql.await-primary", i);
            Assert.DoesNotContain(i, s => s.StartsWith("infra.", StringComparison.Ordinal) || s is "pgsql.roles" or "etcd.patroni-users");
        });

        // The graph (built without cycles by InstallPlan.Create) orders what the cluster needs on each node: etcd before Patroni, the
        // VIP callback before Patroni, NODE's HAProxy before the services, keepalived after its unit file (and so its package).
        foreach (var plan in plans)
        {
            string[] Before(string id) => [.. plan.Graph.Nodes.Single(n => n.Step.Id == id).Before.Select(b => plan.Graph.Nodes[b].Step.Id)];
            Assert.Contains("etcd.auth", Before("pgsql.patroni"));
            Assert.Contains("pgsql.vip", Before("pgsql.patroni"));
            Assert.Contains("node.haproxy", Before("pgsql.haproxy"));
            Assert.Contains("pgsql.patroni", Before("pgsql.haproxy"));
            Assert.Contains("node.units", Before("node.keepalived"));

            // No dpkg run beside a live service: every service waits for every package step of the node (push mode starved etcd
            // and Patroni on one core with INFRA's install until the primary demoted itself).
            var packageSteps = plan.Graph.Nodes.Where(n => n.Step.Id.EndsWith(".packages", StringComparison.Ordinal)).Select(n => n.Step.Id).ToList();
            Assert.Contains("etcd.packages", packageSteps);
            Assert.Contains("pgsql.packages", packageSteps);
            Assert.All(new[] { "etcd.service", "pgsql.patroni", "node.haproxy", "node.keepalived" }, s => Assert.Superset(packageSteps.ToHashSet(), Before(s).ToHashSet()));
        }
    }

    [Fact]
    public void Without_site_material_only_the_certificates_of_the_other_nodes_are_missing()
    {
        var error = Assert.Throws<InputException>(() => Plan(Hosts[1], material: false));

        Assert.NotEmpty(error.Problems);
        Assert.All(error.Problems, p => Assert.Contains("/etc/pki", p.ToString(), StringComparison.Ordinal));
    }
}

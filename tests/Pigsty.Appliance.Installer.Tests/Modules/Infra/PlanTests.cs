using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>What NODE and INFRA plan for the nodes of a site.</summary>
public sealed class PlanTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static InstallPlan Plan(Installer.Node.NodeContext node) =>
        InstallPlan.Create(node, [new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors)]);

    [Fact]
    public void Single_node_plan()
    {
        var plan = Plan(TestNode.Create(_root.Path));

        Golden.Assert(plan.Describe(), "Modules/Infra/Golden/single-node.plan");
        Assert.Equal(
            [
                "node.hostname", "node.admin", "node.admin-password", "node.sshd", "node.hosts", "node.dns", "node.repo", "node.packages", "node.tune", "node.crontab",
                "node.firewall", "node.units",
                "node.chrony", "node.haproxy", "node.exporter", "node.register",
                "infra.packages", "infra.dirs", "infra.ca", "infra.cert", "infra.ntp", "infra.rules", "infra.units", "infra.dns", "infra.blackbox",
                "infra.alertmanager", "infra.vmetrics", "infra.vmalert", "infra.nginx", "infra.register",
            ],
            plan.Modules.SelectMany(m => m.Steps).Select(s => s.Id));
    }

    [Fact]
    public void A_node_outside_the_infra_group_gets_node_only_with_the_repo_on_its_own_disk()
    {
        var plan = Plan(TestNode.Create(_root.Path, TestNode.TwoNodes, address: "10.10.10.11"));

        Golden.Assert(plan.Describe(), "Modules/Infra/Golden/replica-node.plan");
        Assert.Equal("this node is not in the infra group", plan.Modules.Single(m => m.Module == "INFRA").SkipReason);
        Assert.Contains("apt source file:/www/pigsty", plan.Describe(), StringComparison.Ordinal);
        Assert.Contains("chrony syncing from server 10.10.10.10 iburst", plan.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_infra_node_scrapes_the_exporters_of_the_other_nodes_too()
    {
        var settings = InfraSettings.From(TestNode.Create(_root.Path, TestNode.TwoNodes));

        var target = Assert.Single(settings.OtherNodeTargets);
        Assert.Equal("/etc/pigsty/targets/node/10.10.10.11.yml", target.Path);
        Assert.Equal(["10.10.10.11:9100", "10.10.10.11:9101"], target.Targets);
        Assert.Equal("pg-meta-2", target.Labels["ins"]);
        Assert.Equal(["10.10.10.10", "10.10.10.11"], settings.Nodes.Select(n => n.Address.ToString()));
    }

    [Fact]
    public void Components_the_bundle_lacks_are_notes_and_ones_it_has_are_steps()
    {
        var lean = Plan(TestNode.Create(_root.Path)).Modules.Single(m => m.Module == "INFRA");
        var full = Plan(TestNode.Create(_root.Path, repo: InfraRendererTests.FullBundle)).Modules.Single(m => m.Module == "INFRA");

        Assert.Contains(lean.Notes, n => n.StartsWith("Grafana (grafana) is not in the bundle", StringComparison.Ordinal));
        Assert.Contains(lean.Notes, n => n.StartsWith("VictoriaLogs (victoria-logs) is not in the bundle", StringComparison.Ordinal));
        Assert.DoesNotContain(lean.Steps, s => s.Id is "infra.grafana" or "infra.vlogs");
        Assert.DoesNotContain(full.Notes, n => n.StartsWith("Grafana", StringComparison.Ordinal) || n.StartsWith("VictoriaLogs", StringComparison.Ordinal));
        Assert.Contains(full.Steps, s => s.Id == "infra.grafana");
        Assert.Contains(full.Steps, s => s.Id == "infra.vlogs");
        Assert.Contains("install nginx, victoria-metrics, prometheus-alertmanager, prometheus-blackbox-exporter, dnsmasq, grafana, victoria-logs",
            full.Steps.Single(s => s.Id == "infra.packages").Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Inventory_switches_turn_components_off_with_a_note()
    {
        var inventory = TestNode.SingleNode.Replace("pg_admin_password: given-in-seed",
            "pg_admin_password: given-in-seed\n    haproxy_enabled: false\n    dns_enabled: false\n    node_ntp_enabled: false", StringComparison.Ordinal);

        var plan = Plan(TestNode.Create(_root.Path, inventory));
        var ids = plan.Modules.SelectMany(m => m.Steps).Select(s => s.Id).ToList();

        Assert.DoesNotContain("node.haproxy", ids);
        Assert.DoesNotContain("node.chrony", ids);
        Assert.DoesNotContain("infra.dns", ids);
        Assert.DoesNotContain("infra.ntp", ids);
        Assert.Contains(plan.Modules.SelectMany(m => m.Notes), n => n.StartsWith("haproxy skipped: haproxy_enabled is false", StringComparison.Ordinal));
        Assert.Contains(plan.Modules.SelectMany(m => m.Notes), n => n == "dnsmasq skipped: dns_enabled is false");
    }
}

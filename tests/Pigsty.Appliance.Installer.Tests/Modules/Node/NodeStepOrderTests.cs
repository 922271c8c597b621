using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>NODE's ordering where the order matters to the machine, not only to the steps' inputs.</summary>
public sealed class NodeStepOrderTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private IReadOnlyList<Installer.Engine.Step> Steps(string extra = "") =>
        new NodeModule(InstallModules.Descriptors).Plan(TestNode.Create(_root.Path,
            TestNode.SingleNode.Replace("pg_admin_password: given-in-seed", "pg_admin_password: given-in-seed" + extra, StringComparison.Ordinal))).Steps;

    [Fact]
    public void Etc_hosts_is_rewritten_only_once_the_node_has_its_new_name()
    {
        // The rewrite drops the image's "127.0.1.1 pigsty": before the rename, sudo would wait on DNS for the old name.
        Assert.Contains("node.hostname", Steps().Single(s => s.Id == "node.hosts").RunsAfter);
    }

    [Fact]
    public void Without_a_rename_etc_hosts_waits_for_nothing()
    {
        var steps = Steps("\n    nodename_overwrite: false");

        Assert.DoesNotContain(steps, s => s.Id == "node.hostname");
        Assert.Empty(steps.Single(s => s.Id == "node.hosts").RunsAfter);
    }
}

using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>Pigsty's <c>node_packages</c>: packages beyond what an image carries, installed from the local repository at first boot.</summary>
public sealed class NodePackagesTests : IDisposable
{
    private static readonly Dictionary<string, string> Repo = new()
    {
        ["chrony"] = "4.3-2", ["haproxy"] = "2.6.12-1", ["prometheus-node-exporter"] = "1.5.0-1", ["jq"] = "1.6-2.1", ["pv"] = "1.6.20-1", ["git"] = "2.39.2-1",
    };

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Seed(string packages) =>
        TestNode.SingleNode.Replace("pg_admin_password: given-in-seed", $"pg_admin_password: given-in-seed\n    node_packages: {packages}", StringComparison.Ordinal);

    [Fact]
    public void Extra_packages_join_the_node_package_step_each_once()
    {
        var node = TestNode.Create(_root.Path, Seed("['jq, pv', git, jq]"), Repo);

        var step = new NodeModule(InstallModules.Descriptors).Plan(node).Steps.Single(s => s.Id == "node.packages");

        Assert.Equal("install chrony, haproxy, prometheus-node-exporter, nftables, jq, pv, git", step.Title);
    }

    [Fact]
    public void A_package_the_bundle_lacks_is_a_seed_error_naming_the_field()
    {
        var node = TestNode.Create(_root.Path, Seed("[jq, juicefs]"), Repo);

        var error = Assert.Throws<InputException>(() => new NodeModule(InstallModules.Descriptors).Plan(node));

        Assert.Contains("node_packages", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("not in the bundled repository: juicefs (add them to the recipe, or drop them here)", error.Message, StringComparison.Ordinal);
    }
}

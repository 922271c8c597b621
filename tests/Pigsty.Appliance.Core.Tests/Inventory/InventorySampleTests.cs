using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.Inventory;

/// <summary>Each malformed sample states its exact expected error in its leading "# error:" lines.</summary>
public sealed class InventorySampleTests
{
    private static readonly string Malformed = TestData.Path("Inventory", "Samples", "malformed");

    public static TheoryData<string> MalformedSamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Malformed, "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void There_are_at_least_fifteen_malformed_samples() =>
        Assert.True(MalformedSamples().Count >= 15, $"only {MalformedSamples().Count} malformed samples");

    [Theory]
    [MemberData(nameof(MalformedSamples))]
    public void Malformed_sample_fails_with_its_exact_error(string name)
    {
        var text = File.ReadAllText(Path.Combine(Malformed, name));
        var expected = text.Split('\n').TakeWhile(l => l.StartsWith("# error: ", StringComparison.Ordinal))
            .Select(l => l["# error: ".Length..]).ToList();
        Assert.NotEmpty(expected);

        var error = Assert.Throws<InputException>(() => InventoryLoader.Parse(text, name));

        Assert.Equal(expected, error.Problems.Select(p => p.ToString()).ToList());
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
    }

    [Fact]
    public async Task Single_node_sample_has_every_module_on_one_node()
    {
        var inventory = await InventoryLoader.LoadAsync(TestData.Path("Inventory", "Samples", "valid", "single-node.yml"), CancellationToken.None);

        Assert.Equal("10.10.10.10", inventory.AdminIp.ToString());
        var host = Assert.Single(inventory.Hosts);
        Assert.Equal(["etcd", "infra", "minio", "pg-meta"], host.Groups);
        Assert.Equal(new ClusterMember(host.Address, 1), Assert.Single(inventory.Infra));
        Assert.Equal("etcd", Assert.Single(inventory.Etcd).Name);
        Assert.Equal("minio", Assert.Single(inventory.Minio).Name);
        var cluster = Assert.Single(inventory.PgClusters);
        Assert.Equal("pg-meta-1", cluster.Primary.Name);
        Assert.Equal("tiny", cluster.Vars.String("pg_conf", "oltp"));
        var user = cluster.Vars.Require("pg_users", "test").AsSequence().Items[0].AsMapping();
        Assert.Equal("s3cret-from-seed", user.Find("password")!.AsString());
        Assert.True(user.Find("pgbouncer")!.AsBool());
    }

    [Fact]
    public async Task Three_node_sample_has_three_members_and_one_primary()
    {
        var inventory = await InventoryLoader.LoadAsync(TestData.Path("Inventory", "Samples", "valid", "three-node-ha.yml"), CancellationToken.None);

        Assert.Equal(3, inventory.Hosts.Count);
        Assert.Equal([1, 2, 3], inventory.Infra.Select(m => m.Seq));
        Assert.Equal(["10.10.10.10", "10.10.10.11", "10.10.10.12"], Assert.Single(inventory.Etcd).Members.Select(m => m.Address.ToString()));
        var cluster = Assert.Single(inventory.PgClusters);
        Assert.Equal([PgRole.Primary, PgRole.Replica, PgRole.Offline], cluster.Instances.Select(i => i.Role));
        Assert.Equal("10.10.10.10", cluster.Primary.Address.ToString());
    }
}

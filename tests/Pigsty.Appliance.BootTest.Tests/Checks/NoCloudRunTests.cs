using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>The nocloud run's seed, read back the way first boot reads it: the inventory from user-data, the static network from network-config.</summary>
public sealed class NoCloudRunTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_user_data_holds_the_default_layout_with_dbuser_metas_password_under_pigsty()
    {
        var inventory = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "images", "seeds", "meta.yml"));
        var path = _temp.Write("user-data", NoCloudRun.UserData(inventory, "s3cret"));

        var loaded = await SeedLoader.LoadAsync(new SeedSource(SeedKind.Volume, path, null, "volume cidata") { InventoryKey = "pigsty" }, null, CancellationToken.None);

        var meta = Assert.Single(loaded.PgClusters).Vars.Find("pg_users")!.AsSequence().Items.Select(i => i.AsMapping())
            .Single(u => u.Find("name")?.AsString() == "dbuser_meta");
        Assert.Equal("s3cret", meta.Find("password")?.AsString());
    }

    [Fact]
    public void The_network_config_gives_the_guests_usual_address_statically()
    {
        var node = NoCloudNetwork.Parse(NoCloudRun.NetworkConfig, "network-config");

        Assert.NotNull(node);
        Assert.Equal((BootTestSeed.GuestAddress, 24, "10.0.2.2", "10.0.2.3"),
            (node.Address.ToString(), node.Prefix, node.Gateway?.ToString(), Assert.Single(node.DnsServers).ToString()));
    }

    [Fact]
    public void A_seed_without_the_meta_user_is_refused_before_any_vm_starts()
    {
        Assert.Throws<InvalidOperationException>(() => NoCloudRun.UserData("all: {}\n", "x"));
    }
}

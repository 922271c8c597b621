using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Seed;

public sealed class SeedTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SeedLocations _locations;

    public SeedTests()
    {
        Directory.CreateDirectory(_temp.File("by-label"));
        _locations = new SeedLocations
        {
            ByLabel = _temp.File("by-label"),
            MountPoint = _temp.File("mnt"),
            KernelCommandLine = _temp.Write("cmdline", "BOOT_IMAGE=/vmlinuz root=PARTUUID=x console=ttyS0,115200\n"),
            Embedded = _temp.Write("default.yml", TestNode.SingleNode),
            Carried = _temp.File("carried"),
        };
    }

    public void Dispose() => _temp.Dispose();

    private Task<SeedSource> Locate(SeedLocations? locations = null) =>
        new SeedLocator(ProcessRunner.Silent, NullLogger<SeedLocator>.Instance, locations ?? _locations).LocateAsync(CancellationToken.None);

    [Fact]
    public async Task Without_volume_or_kernel_argument_the_embedded_default_is_used()
    {
        var seed = await Locate();

        Assert.Equal(SeedKind.Embedded, seed.Kind);
        Assert.Null(seed.VolumeDirectory);
    }

    [Fact]
    public async Task The_seed_the_installer_medium_carried_wins_over_the_kernel_argument_and_the_default()
    {
        var given = _temp.Write("site.yml", TestNode.SingleNode);
        await File.WriteAllTextAsync(_locations.KernelCommandLine, $"root=x pigsty.seed={given}\n");
        var carried = _temp.Write("carried/pigsty.yml", TestNode.SingleNode);

        var seed = await Locate();

        Assert.Equal(SeedKind.Directory, seed.Kind);
        Assert.Equal(carried, seed.InventoryPath);
        Assert.Equal(_locations.Carried, seed.VolumeDirectory);
    }

    [Fact]
    public async Task Kernel_argument_wins_over_the_default()
    {
        var given = _temp.Write("site.yml", TestNode.SingleNode);
        await File.WriteAllTextAsync(_locations.KernelCommandLine, $"root=x pigsty.seed={given} quiet\n");

        var seed = await Locate();

        Assert.Equal(SeedKind.KernelCommandLine, seed.Kind);
        Assert.Equal(given, seed.InventoryPath);
    }

    [Fact]
    public async Task A_kernel_argument_naming_a_missing_file_is_an_error()
    {
        await File.WriteAllTextAsync(_locations.KernelCommandLine, "pigsty.seed=/nope.yml\n");

        var error = await Assert.ThrowsAsync<InputException>(() => Locate());

        Assert.Equal("/nope.yml: named by pigsty.seed= on the kernel command line, but it does not exist", error.Message);
    }

    [Fact]
    public async Task Embedded_default_is_rebound_to_the_primary_address()
    {
        var inventory = await SeedLoader.LoadAsync(await Locate(), IPAddress.Parse("10.0.2.15"), CancellationToken.None);

        Assert.Equal("10.0.2.15", inventory.AdminIp.ToString());
        Assert.Equal("10.0.2.15", Assert.Single(inventory.Hosts).Address.ToString());
        Assert.Equal("10.0.2.15", Assert.Single(inventory.PgClusters).Primary.Address.ToString());
    }

    [Fact]
    public async Task A_given_seed_is_never_rebound()
    {
        var seed = new SeedSource(SeedKind.Volume, _locations.Embedded, null, "volume PIGSTY");

        var inventory = await SeedLoader.LoadAsync(seed, IPAddress.Parse("10.0.2.15"), CancellationToken.None);

        Assert.Equal("10.10.10.10", inventory.AdminIp.ToString());
    }

    [Fact]
    public async Task An_invalid_seed_fails_with_the_loaders_precise_error()
    {
        var path = _temp.Write("bad.yml", TestNode.SingleNode.Replace("pg_seq: 1", "pg_seq: one", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<InputException>(() =>
            SeedLoader.LoadAsync(new SeedSource(SeedKind.Volume, path, null, "volume"), null, CancellationToken.None));

        Assert.Equal($"{path}:5:48: all.children.pg-meta.hosts[10.10.10.10].pg_seq: expected an integer, got 'one'", error.Message);
    }

    [Fact]
    public async Task An_embedded_seed_whose_aliases_explode_is_refused_before_the_rebind_expands_them()
    {
        // The rebind copies the tree with every alias expanded: five levels of ten aliases would be half a million values.
        var laughs = new System.Text.StringBuilder("    l0: &l0 [10.10.10.10, 10.10.10.10, 10.10.10.10, 10.10.10.10, 10.10.10.10]\n");
        for (var level = 1; level <= 5; level++)
        {
            laughs.Append($"    l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        }

        File.WriteAllText(_locations.Embedded, TestNode.SingleNode + "\n" + laughs);

        var error = await Assert.ThrowsAsync<InputException>(async () =>
            await SeedLoader.LoadAsync(await Locate(), IPAddress.Parse("10.0.2.15"), CancellationToken.None));

        Assert.StartsWith($"{_locations.Embedded}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("aliases expand to more than", error.Message, StringComparison.Ordinal);
    }
}

using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Testing;

using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Tests.Definition;

public sealed class ImageDefinitionLoaderTests
{
    /// <summary>Modules as the Cli passes them from the installer's registry (a few packages each are enough to see them resolve).</summary>
    private static readonly IReadOnlyList<ImageModule> Modules =
        [new("node", ["chrony", "haproxy"]), new("infra", ["nginx"]), new("etcd", ["etcd-server"]), new("minio", ["minio"]), new("pgsql", ["postgresql-15", "haproxy"])];

    /// <summary>The default definition's preinstall line: every module.</summary>
    private const string DefaultPreinstall = "preinstall: [node, infra, etcd, minio, pgsql]";

    private static string Default => File.ReadAllText(TestData.Path("images", "appliance-d12.yml"));

    [Fact]
    public async Task Default_image_boots_both_ways_with_both_consoles()
    {
        var image = await ImageDefinitionLoader.LoadAsync(TestData.Path("images", "appliance-d12.yml"), Modules, CancellationToken.None);

        Assert.Equal("pigsty-d12", image.Recipe);
        Assert.Equal("linux-image-amd64", image.KernelPackage);
        Assert.Equal([Firmware.Uefi, Firmware.Bios], image.Firmware);
        Assert.Equal(["raw", "qcow2", "vmdk", "vhdx"], image.Formats);
        Assert.Equal("console=tty0 console=ttyS0,115200", image.ConsoleArguments);
        Assert.Equal(8L << 30, image.DiskSize);
        Assert.True(File.Exists(image.Seed), image.Seed);
        // First boot configures, it does not install: the default image carries every module's packages.
        Assert.Equal(["node", "infra", "etcd", "minio", "pgsql"], image.Preinstall.Select(m => m.Name));
        var seed = await InventoryLoader.LoadAsync(image.Seed, CancellationToken.None);
        Assert.Equal(seed.AdminIp, Assert.Single(seed.Hosts).Address);
    }

    [Fact]
    public void Preinstall_names_modules_and_brings_their_packages_once()
    {
        var image = ImageDefinitionLoader.Parse(Default.Replace(DefaultPreinstall, "preinstall: [pgsql, node]", StringComparison.Ordinal), "/x/i.yml", Modules);

        Assert.Equal(["pgsql", "node"], image.Preinstall.Select(m => m.Name));
        Assert.Equal(["postgresql-15", "haproxy", "chrony"], image.PreinstallPackages);
    }

    [Theory]
    [InlineData("8GiB", 8L << 30)]
    [InlineData("256MiB", 256L << 20)]
    [InlineData("4096", 4096L)]
    public void Sizes_parse(string text, long bytes)
    {
        Assert.True(ImageDefinitionLoader.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("8 GB")]
    [InlineData("-1")]
    [InlineData("99999999999999999999GiB")]
    public void Bad_sizes_do_not_parse(string text) => Assert.False(ImageDefinitionLoader.TryParseSize(text, out _));

    [Theory]
    [InlineData("kernel: default", "kernel: rt", "kernel: unknown kernel 'rt' (expected default or cloud)")]
    [InlineData("firmware: [uefi, bios]", "firmware: [uefi, coreboot]", "firmware[1]: unknown value 'coreboot' (expected one of uefi, bios)")]
    [InlineData("disk_size: 8GiB", "disk_size: 600MiB", "disk_size: the disk must hold the ESP (256 MiB) and at least 512 MiB of root")]
    [InlineData("disk_size: 8GiB", "disk_size: eight", "disk_size: 'eight' is not a size (e.g. 8GiB, 256MiB)")]
    [InlineData(DefaultPreinstall, "preinstall: [pgsql, redis]", "preinstall[1]: unknown value 'redis' (expected one of node, infra, etcd, minio, pgsql)")]
    [InlineData("hostname: pigsty", "hostname: Pigsty_Node", "hostname: 'Pigsty_Node' is not a valid host name")]
    [InlineData("seed: seeds/meta.yml", "seed: /etc/shadow", "seed: '/etc/shadow' must be a relative path inside the definition's folder /x")]
    [InlineData("seed: seeds/meta.yml", "seed: ../../etc/pigsty.yml", "seed: '../../etc/pigsty.yml' must be a relative path inside the definition's folder /x")]
    [InlineData("seed: seeds/meta.yml", "seed: \"\"", "seed: '' must be a relative path inside the definition's folder /x")]
    [InlineData("seed: seeds/meta.yml", "seed: seeds/id_rsa", "seed: 'seeds/id_rsa' is not a seed inventory (expected a .yml or .yaml file)")]
    public void Mistakes_name_the_field(string find, string replace, string message)
    {
        var error = Assert.Throws<InputException>(() => ImageDefinitionLoader.Parse(Default.Replace(find, replace, StringComparison.Ordinal), "/x/i.yml", Modules));

        Assert.EndsWith(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("/x/i.yml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seed_that_is_missing_or_not_an_inventory_fails_the_load_naming_it()
    {
        using var folder = new TempDirectory();
        var definition = Path.Join(folder.Path, "appliance-x.yml");
        await File.WriteAllTextAsync(definition, Default);

        var missing = await Assert.ThrowsAsync<InputException>(() => ImageDefinitionLoader.LoadAsync(definition, Modules, CancellationToken.None));
        Assert.Contains($"seed: {Path.Join(folder.Path, "seeds", "meta.yml")} does not exist", missing.Message, StringComparison.Ordinal);

        // Every node built from the image would fail at first boot with it: the build fails now, at the seed's own line.
        Directory.CreateDirectory(Path.Join(folder.Path, "seeds"));
        await File.WriteAllTextAsync(Path.Join(folder.Path, "seeds", "meta.yml"), "all:\n  children:\n    pg-meta: { hosts: { 10.10.10.10: { pg_seq: one } } }\n");
        var broken = await Assert.ThrowsAnyAsync<ApplianceException>(() => ImageDefinitionLoader.LoadAsync(definition, Modules, CancellationToken.None));
        Assert.Contains("seeds/meta.yml:2:3: all.vars.admin_ip: missing", broken.Message, StringComparison.Ordinal);
    }
}

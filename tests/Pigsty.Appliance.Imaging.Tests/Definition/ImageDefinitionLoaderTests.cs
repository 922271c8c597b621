using Pigsty.Appliance.Core.Contract;
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
        [new("node", _ => ["chrony", "haproxy"]), new("infra", _ => ["nginx"]), new("etcd", _ => ["etcd-server"]), new("minio", _ => ["minio"]),
            new("pgsql", p => [$"postgresql-{p.PgMajor}", "haproxy"])];

    /// <summary>The default definition's preinstall line: every module.</summary>
    private const string DefaultPreinstall = "preinstall: [node, infra, etcd, minio, pgsql]";

    private static string Default => File.ReadAllText(TestData.Path("images", "appliance-d12.yml"));

    [Fact]
    public async Task Default_image_boots_both_ways_with_both_consoles()
    {
        var image = await ImageDefinitionLoader.LoadAsync(TestData.Path("images", "appliance-d12.yml"), Modules, CancellationToken.None);

        Assert.Equal("pigsty-d12", image.Recipe);
        Assert.Equal("linux-image-amd64", image.KernelPackageOn(TargetPlatform.Debian12));
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
        Assert.Equal(["postgresql-15", "haproxy", "chrony"], image.PreinstallPackagesOn(TargetPlatform.Debian12));
        Assert.Equal(["postgresql-17", "haproxy", "chrony"], image.PreinstallPackagesOn(TargetPlatform.Debian13));
    }

    [Fact]
    public void A_cloud_kernel_is_the_platform_s_cloud_package()
    {
        var image = ImageDefinitionLoader.Parse(Default.Replace("kernel: default", "kernel: cloud", StringComparison.Ordinal), "/x/i.yml", Modules);

        Assert.Equal("cloud", image.Kernel);
        Assert.Equal("linux-image-cloud-amd64", image.KernelPackageOn(TargetPlatform.Debian13));
    }

    [Fact]
    public async Task The_debian13_appliance_is_the_default_one_built_from_the_trixie_recipe()
    {
        var d13 = await ImageDefinitionLoader.LoadAsync(TestData.Path("images", "appliance-d13.yml"), Modules, CancellationToken.None);
        static IEnumerable<string> Settings(string file) =>
            File.ReadAllLines(TestData.Path("images", file)).Where(l => !l.StartsWith('#')).Select(l => l.Replace("d12", "d13", StringComparison.Ordinal));

        Assert.Equal("pigsty-d13", d13.Recipe);
        Assert.Null(d13.ArtifactVariantFor("d13"));
        // Layout, formats, seed and preinstall are the Debian 12 appliance's: only the name and the recipe differ.
        Assert.Equal(Settings("appliance-d12.yml"), Settings("appliance-d13.yml"));
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

    /// <summary>A real ed25519 public key line (the blob names its type).</summary>
    private const string Ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBpZ3N0eSB0ZXN0IGtleSwgbm90IGZvciBsb2dpbiEh test@pigsty";

    private static string Plain => File.ReadAllText(TestData.Path("images", "plain-d12.yml"));

    [Fact]
    public async Task The_plain_image_has_no_first_boot_no_seed_and_an_admin_user_for_deploy()
    {
        var image = await ImageDefinitionLoader.LoadAsync(TestData.Path("images", "plain-d12.yml"), Modules, CancellationToken.None);

        Assert.False(image.FirstBoot);
        Assert.Null(image.Seed);
        Assert.Empty(image.Preinstall);
        Assert.Equal("debian", image.AdminUser);
        // Its keys come from the image command (--authorized-key): a committed definition holds nobody's key.
        Assert.Empty(image.AuthorizedKeys);
        Assert.Equal("plain-d12", image.ArtifactVariantFor("d12"));
    }

    [Fact]
    public void The_default_image_keeps_first_boot_and_its_artifact_names()
    {
        var image = ImageDefinitionLoader.Parse(Default, "/x/i.yml", Modules);

        Assert.True(image.FirstBoot);
        Assert.Null(image.AdminUser);
        Assert.Null(image.ArtifactVariantFor("d12"));
        // The same definition built for another target is not that target's appliance: its files carry its name.
        Assert.Equal("appliance-d12", image.ArtifactVariantFor("d13"));
    }

    [Fact]
    public void Authorized_keys_are_kept_as_given()
    {
        var image = ImageDefinitionLoader.Parse(Plain.Replace("authorized_keys: []", $"authorized_keys: ['{Ed25519}']", StringComparison.Ordinal), "/x/i.yml", Modules);

        Assert.Equal([Ed25519], image.AuthorizedKeys);
    }

    [Theory]
    [InlineData("firstboot: false", "firstboot: maybe", "firstboot: expected true or false")]
    [InlineData("firstboot: false", "firstboot: false\nseed: seeds/meta.yml", "seed: a plain image (firstboot: false) has no first boot to read a seed: leave seed out")]
    [InlineData("firstboot: false", "firstboot: false\npreinstall: [pgsql]", "preinstall: a plain image (firstboot: false) cannot preinstall modules")]
    [InlineData("admin_user: debian", "admin_user: Debian", "admin_user: 'Debian' is not a user name")]
    [InlineData("admin_user: debian", "admin_user: root", "admin_user: 'root' is a system account of Debian's base: name a user of its own")]
    [InlineData("admin_user: debian", "admin_user: sshd", "admin_user: 'sshd' is a system account of Debian's base: name a user of its own")]
    [InlineData("authorized_keys: []", "authorized_keys: ['ssh-dss AAAAB3NzaC1kc3M=']", "authorized_keys[0]: unknown key type 'ssh-dss'")]
    [InlineData("authorized_keys: []", "authorized_keys: ['ssh-ed25519']", "authorized_keys[0]: expected 'TYPE BASE64 [comment]'")]
    [InlineData("authorized_keys: []", "authorized_keys: ['ssh-ed25519 not*base64']", "authorized_keys[0]: the ssh-ed25519 key is not base64")]
    [InlineData("authorized_keys: []", "authorized_keys: ['ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHBpZ3N0eSB0ZXN0IGtleSwgbm90IGZvciBsb2dpbiEh']",
        "authorized_keys[0]: the key data is not an ssh-rsa key (its blob names another type, or none)")]
    public void Plain_image_mistakes_name_the_field(string find, string replace, string message)
    {
        var error = Assert.Throws<InputException>(() => ImageDefinitionLoader.Parse(Plain.Replace(find, replace, StringComparison.Ordinal), "/x/i.yml", Modules));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("/x/i.yml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_without_an_admin_user_are_refused()
    {
        var text = Plain.Replace("admin_user: debian\n", "", StringComparison.Ordinal).Replace("authorized_keys: []", $"authorized_keys: ['{Ed25519}']", StringComparison.Ordinal);

        var error = Assert.Throws<InputException>(() => ImageDefinitionLoader.Parse(text, "/x/i.yml", Modules));

        Assert.EndsWith("authorized_keys: authorized keys need an admin_user to log in as", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_appliance_still_needs_its_seed()
    {
        var error = Assert.Throws<InputException>(() => ImageDefinitionLoader.Parse(Default.Replace("seed: seeds/meta.yml\n", "", StringComparison.Ordinal), "/x/i.yml", Modules));

        Assert.Contains("missing 'seed'", error.Message, StringComparison.Ordinal);
    }
}

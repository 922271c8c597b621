using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.ToDisk;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

public sealed class DiskRuleTests
{
    private const string Seed = "/seed/pigsty.yml";

    /// <summary>The value under install_disk as our YAML layer reads it from a seed.</summary>
    private static YamlValue? Yaml(string text) => ((YamlMapping)YamlReader.Parse(text, Seed)).Find("install_disk");

    [Fact]
    public void A_string_is_a_device_path()
    {
        Assert.Equal(new DiskRule("/dev/disk/by-id/virtio-ABC", null, null, null), DiskRule.Parse("/dev/disk/by-id/virtio-ABC", Seed));
        Assert.Equal(new DiskRule("/dev/vda", null, null, null), DiskRule.Parse(Yaml("install_disk: /dev/vda\n"), Seed));
    }

    [Fact]
    public void A_yaml_mapping_gives_path_serial_and_sizes()
    {
        var rule = DiskRule.Parse(Yaml("install_disk:\n  path: /dev/disk/by-path/pci-0000:00:05.0\n  serial: 12345\n  min_size: 32G\n  max_size: 1TiB\n"), Seed);

        Assert.Equal(new DiskRule("/dev/disk/by-path/pci-0000:00:05.0", "12345", 32L << 30, 1L << 40), rule);
        Assert.Equal("path /dev/disk/by-path/pci-0000:00:05.0, serial 12345, min_size 32 GiB, max_size 1 TiB", rule.Describe());
    }

    [Fact]
    public void Dictionaries_with_string_or_object_keys_are_mappings_too()
    {
        var byString = DiskRule.Parse(new Dictionary<string, object?> { ["serial"] = "ABC", ["min_size"] = "500GB" }, Seed);
        var byObject = DiskRule.Parse(new Dictionary<object, object?> { ["max_size"] = 34359738368L }, Seed);

        Assert.Equal(new DiskRule(null, "ABC", 500_000_000_000L, null), byString);
        Assert.Equal(new DiskRule(null, null, null, 32L << 30), byObject);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_install_disk_the_key_and_the_seed()
    {
        var error = Assert.Throws<InputException>(() => DiskRule.Parse(Yaml("install_disk:\n  serial: A\n  model: QEMU\n"), Seed));

        Assert.Equal($"{Seed}:3:3: install_disk.model: unknown key 'model': install_disk takes path, serial, min_size, max_size", error.Message);
    }

    [Fact]
    public void A_bad_size_is_an_error_naming_install_disk_and_the_key()
    {
        var fromYaml = Assert.Throws<InputException>(() => DiskRule.Parse(Yaml("install_disk:\n  min_size: 32XB\n"), Seed));
        var fromDictionary = Assert.Throws<InputException>(() => DiskRule.Parse(new Dictionary<string, object?> { ["max_size"] = "huge" }, Seed));

        Assert.StartsWith($"{Seed}:2:13: install_disk.min_size: '32XB' is not a size", fromYaml.Message);
        Assert.StartsWith($"{Seed}: install_disk.max_size: 'huge' is not a size", fromDictionary.Message);
    }

    [Theory]
    [InlineData("install_disk: vda\n", "install_disk: 'vda' is not a device path")]
    [InlineData("install_disk: ~\n", "install_disk: expected a device path")]
    [InlineData("install_disk: [/dev/vda]\n", "install_disk: expected a device path")]
    [InlineData("install_disk: {}\n", "install_disk: the mapping is empty")]
    [InlineData("install_disk:\n  serial: [A]\n", "install_disk.serial: expected a string, got a list")]
    [InlineData("install_disk:\n  path: sda\n", "install_disk.path: 'sda' is not a device path")]
    [InlineData("install_disk:\n  min_size: 64G\n  max_size: 32G\n", "install_disk: min_size 64 GiB is above max_size 32 GiB")]
    public void Other_shapes_are_errors_naming_the_seed_and_install_disk(string yaml, string message)
    {
        var error = Assert.Throws<InputException>(() => DiskRule.Parse(Yaml(yaml), Seed));

        Assert.StartsWith(Seed, error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_missing_value_is_an_error() =>
        Assert.Equal($"{Seed}: install_disk: expected a device path (/dev/vda, /dev/disk/by-id/…, /dev/disk/by-path/…) or a mapping of path, serial, min_size and max_size, got nothing",
            Assert.Throws<InputException>(() => DiskRule.Parse(null, Seed)).Message);

    [Fact]
    public void Every_given_part_must_match()
    {
        var disk = new BlockDisk("vdb", 64L << 30, false, false, "ABC", null, [], []);
        static string? Resolve(string path) => path == "/dev/disk/by-id/virtio-ABC" ? "vdb" : null;

        Assert.True(new DiskRule("/dev/disk/by-id/virtio-ABC", "ABC", 32L << 30, 64L << 30).Matches(disk, Resolve));
        Assert.False(new DiskRule("/dev/disk/by-id/virtio-XYZ", null, null, null).Matches(disk, Resolve));
        Assert.False(new DiskRule(null, "abc", null, null).Matches(disk, Resolve));
        Assert.False(new DiskRule(null, "ABC", 65L << 30, null).Matches(disk, Resolve));
        Assert.False(new DiskRule(null, "ABC", null, 63L << 30).Matches(disk, Resolve));
    }

    [Fact]
    public void The_real_resolver_follows_links_to_their_final_target()
    {
        using var temp = new Testing.TempDirectory();
        temp.Write("dev/vda", "");
        Directory.CreateDirectory(temp.File("dev/disk/by-id"));
        File.CreateSymbolicLink(temp.File("dev/disk/by-id/virtio-ABC"), "../../vda");
        File.CreateSymbolicLink(temp.File("dev/disk/by-id/gone"), "../../vdz");

        Assert.Equal("vda", DevicePath.DeviceName(temp.File("dev/disk/by-id/virtio-ABC")));
        Assert.Equal("vda", DevicePath.DeviceName(temp.File("dev/vda")));
        Assert.Null(DevicePath.DeviceName(temp.File("dev/disk/by-id/gone")));
        Assert.Null(DevicePath.DeviceName(temp.File("dev/vdq")));
    }
}

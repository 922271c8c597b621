using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.ToDisk;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

public sealed class DiskChooserTests
{
    private const string Seed = "/seed/pigsty.yml";
    private const long GiB = 1L << 30;
    private const long Image = 8 * GiB;

    private static readonly Dictionary<string, string> None = [];

    /// <summary>The installer booted from vdc.</summary>
    private static readonly Dictionary<string, string> BootedFromVdc = new() { ["vdc"] = DiskChooser.BootMedium };

    private static BlockDisk Disk(string name, long gib, string? serial = null, bool removable = false, bool readOnly = false, params string[] partitions) =>
        new(name, gib * GiB, removable, readOnly, serial, "QEMU HARDDISK", [$"/dev/disk/by-id/virtio-{serial ?? name}"], partitions);

    /// <summary>What the test machine's /dev holds: by-id links named after the serial, by-path links after the name.</summary>
    private static string? Resolve(string path) => path switch
    {
        "/dev/vda" or "/dev/disk/by-path/pci-0000:00:05.0" => "vda",
        "/dev/vdb" or "/dev/disk/by-id/virtio-SERIAL-B" => "vdb",
        "/dev/vdc" => "vdc",
        "/dev/vde" => "vde",
        "/dev/vda1" => "vda1",
        _ => null,
    };

    private static DiskChoice Choose(IReadOnlyList<BlockDisk> disks, DiskRule? rule = null, IReadOnlyDictionary<string, string>? excluded = null, bool wipe = false) =>
        DiskChooser.Choose(disks, rule, excluded ?? None, Image, wipe, Seed, Resolve);

    private static string Refused(IReadOnlyList<BlockDisk> disks, DiskRule? rule = null, IReadOnlyDictionary<string, string>? excluded = null, bool wipe = false)
    {
        var error = Assert.Throws<InputException>(() => Choose(disks, rule, excluded, wipe));
        Assert.StartsWith($"{Seed}: ", error.Message);
        return error.Message[(Seed.Length + 2)..];
    }

    private static DiskRule Rule(string? path = null, string? serial = null, long? minGiB = null, long? maxGiB = null) =>
        new(path, serial, minGiB * GiB, maxGiB * GiB);

    [Fact]
    public void The_single_candidate_is_chosen()
    {
        var choice = Choose([Disk("vda", 32)]);

        Assert.Equal("vda", choice.Disk.Name);
        Assert.Empty(choice.Notes);
    }

    [Fact]
    public void Two_equal_disks_without_a_rule_are_refused_naming_both()
    {
        var message = Refused([Disk("vda", 32, "A"), Disk("vdb", 32, "B")]);

        Assert.Equal("several candidate disks: vda (32 GiB, serial A, model QEMU HARDDISK); vdb (32 GiB, serial B, model QEMU HARDDISK). "
            + "The installer does not guess: choose one with install_disk in the seed, a path (/dev/vda, /dev/disk/by-id/…, /dev/disk/by-path/…) "
            + "or a mapping of serial, min_size and max_size", message);
    }

    [Fact]
    public void A_disk_smaller_than_the_image_is_left_out()
    {
        var choice = Choose([Disk("vda", 32), Disk("vdb", 4)]);

        Assert.Equal("vda", choice.Disk.Name);
        Assert.Equal(["vdb (4 GiB, model QEMU HARDDISK): 4 GiB, smaller than the image's 8 GiB"], choice.Notes);
    }

    [Fact]
    public void Sizes_that_round_the_same_are_shown_in_bytes()
    {
        var message = Refused([Disk("vda", 8) with { SizeBytes = Image - 512 }]);

        Assert.Contains($"{Image - 512} bytes, smaller than the image's {Image} bytes", message);
    }

    [Fact]
    public void The_boot_medium_seed_disk_read_only_and_removable_disks_are_left_out_without_a_rule()
    {
        var disks = new[] { Disk("sdb", 16, removable: true), Disk("vda", 32), Disk("vdc", 32), Disk("vdd", 32), Disk("vde", 32, readOnly: true) };
        var excluded = new Dictionary<string, string> { ["vdc"] = DiskChooser.BootMedium, ["vdd"] = DiskChooser.SeedVolume };

        var choice = Choose(disks, excluded: excluded);

        Assert.Equal("vda", choice.Disk.Name);
        Assert.Equal([
            "sdb (16 GiB, model QEMU HARDDISK, removable): removable",
            "vdc (32 GiB, model QEMU HARDDISK): the medium the installer booted from",
            "vdd (32 GiB, model QEMU HARDDISK): the disk holding the seed volume",
            "vde (32 GiB, model QEMU HARDDISK): read-only",
        ], choice.Notes);
    }

    [Fact]
    public void A_removable_usb_stick_alone_is_not_installed_on_without_a_rule()
    {
        var message = Refused([Disk("sdb", 16, removable: true), Disk("vdc", 32)], excluded: BootedFromVdc);

        Assert.Equal("no disk to install on:\n"
            + "  sdb (16 GiB, model QEMU HARDDISK, removable): removable\n"
            + "  vdc (32 GiB, model QEMU HARDDISK): the medium the installer booted from\n"
            + "a removable disk is only installed on when install_disk names it", message);
    }

    [Fact]
    public void A_rule_may_name_a_removable_disk()
    {
        var choice = Choose([Disk("sdb", 16, "USB", removable: true), Disk("vda", 32)], Rule(serial: "USB"));

        Assert.Equal("sdb", choice.Disk.Name);
        Assert.Equal(["vda (32 GiB, model QEMU HARDDISK): does not match install_disk (serial USB)"], choice.Notes);
    }

    [Fact]
    public void A_machine_without_disks_is_refused() =>
        Assert.StartsWith("no disk to install on: the machine shows none", Refused([]));

    [Fact]
    public void A_by_id_path_rule_chooses_the_disk_its_link_leads_to()
    {
        var choice = Choose([Disk("vda", 32), Disk("vdb", 32)], DiskRule.Parse("/dev/disk/by-id/virtio-SERIAL-B", Seed));

        Assert.Equal("vdb", choice.Disk.Name);
    }

    [Fact]
    public void A_by_path_rule_chooses_the_disk_its_link_leads_to() =>
        Assert.Equal("vda", Choose([Disk("vda", 32), Disk("vdb", 32)], Rule("/dev/disk/by-path/pci-0000:00:05.0")).Disk.Name);

    [Fact]
    public void A_serial_rule_chooses_the_disk_with_that_serial() =>
        Assert.Equal("vdb", Choose([Disk("vda", 32, "A"), Disk("vdb", 32, "B")], Rule(serial: "B")).Disk.Name);

    [Fact]
    public void A_min_size_rule_chooses_among_disks_of_different_sizes() =>
        Assert.Equal("vdb", Choose([Disk("vda", 32), Disk("vdb", 500)], Rule(minGiB: 100)).Disk.Name);

    [Fact]
    public void A_max_size_rule_chooses_the_small_disk() =>
        Assert.Equal("vda", Choose([Disk("vda", 32), Disk("vdb", 500)], Rule(maxGiB: 100)).Disk.Name);

    [Fact]
    public void A_rule_matching_several_disks_is_refused_naming_the_rule()
    {
        var message = Refused([Disk("vda", 32), Disk("vdb", 500), Disk("vdc", 600)], Rule(minGiB: 100));

        Assert.StartsWith("several candidate disks match install_disk (min_size 100 GiB): vdb (500 GiB, model QEMU HARDDISK); vdc (600 GiB, model QEMU HARDDISK). "
            + "The installer does not guess: choose one with install_disk", message);
    }

    [Fact]
    public void A_rule_naming_the_boot_medium_is_refused()
    {
        var message = Refused([Disk("vda", 32), Disk("vdc", 32)], Rule("/dev/vdc"), BootedFromVdc);

        Assert.Equal("no disk to install on: install_disk names vdc, the medium the installer booted from:\n"
            + "  vda (32 GiB, model QEMU HARDDISK): does not match install_disk (path /dev/vdc)\n"
            + "  vdc (32 GiB, model QEMU HARDDISK): the medium the installer booted from", message);
    }

    [Fact]
    public void A_rule_naming_a_read_only_disk_is_refused() =>
        Assert.StartsWith("no disk to install on: install_disk names vde, read-only:", Refused([Disk("vda", 32), Disk("vde", 32, readOnly: true)], Rule("/dev/vde")));

    [Fact]
    public void A_rule_naming_a_disk_smaller_than_the_image_is_refused() =>
        Assert.StartsWith("no disk to install on: install_disk names vdb, 4 GiB, smaller than the image's 8 GiB:",
            Refused([Disk("vda", 32), Disk("vdb", 4, "B")], Rule(serial: "B")));

    [Fact]
    public void A_rule_matching_nothing_is_refused_listing_every_disk()
    {
        var message = Refused([Disk("vda", 32, "A"), Disk("vdb", 32, "B")], Rule(serial: "XYZ"));

        Assert.Equal("no disk to install on: no disk matches install_disk (serial XYZ):\n"
            + "  vda (32 GiB, serial A, model QEMU HARDDISK): does not match install_disk (serial XYZ)\n"
            + "  vdb (32 GiB, serial B, model QEMU HARDDISK): does not match install_disk (serial XYZ)", message);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_named() =>
        Assert.StartsWith("no disk to install on: install_disk's path /dev/disk/by-id/virtio-GONE does not exist:",
            Refused([Disk("vda", 32)], Rule("/dev/disk/by-id/virtio-GONE")));

    [Fact]
    public void A_path_to_a_partition_is_named() =>
        Assert.StartsWith("no disk to install on: install_disk's path /dev/vda1 leads to vda1, which is not a whole disk:",
            Refused([Disk("vda", 32, partitions: "vda1")], Rule("/dev/vda1")));

    [Fact]
    public void A_disk_holding_partitions_is_erased_only_with_install_wipe()
    {
        BlockDisk[] disks = [Disk("vda", 32, "A", partitions: ["vda1", "vda2"])];

        Assert.Equal("vda (32 GiB, serial A, model QEMU HARDDISK) holds partitions vda1, vda2: it is only erased when the seed says install_wipe: true",
            Refused(disks));
        Assert.Equal("vda", Choose(disks, wipe: true).Disk.Name);
    }

    [Fact]
    public void A_signature_on_an_unpartitioned_disk_counts_like_partitions()
    {
        BlockDisk[] disks = [Disk("vda", 32) with { Signature = "ext4" }];

        Assert.Equal("vda (32 GiB, model QEMU HARDDISK) holds a 'ext4' signature: it is only erased when the seed says install_wipe: true", Refused(disks));
        Assert.Equal("vda", Choose(disks, wipe: true).Disk.Name);
    }

    [Fact]
    public void Describe_leaves_out_what_is_unknown()
    {
        Assert.Equal("vda (32 GiB, serial ABC, model QEMU HARDDISK)", new BlockDisk("vda", 32 * GiB, false, false, "ABC", "QEMU HARDDISK", [], []).Describe());
        Assert.Equal("nvme0n1 (465.7 GiB)", new BlockDisk("nvme0n1", 500_000_000_000, false, false, null, null, [], []).Describe());
    }
}

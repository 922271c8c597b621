using Pigsty.Appliance.Installer.ToDisk;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

public sealed class DiskScannerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string SysBlock => _temp.File("sys/block");

    private string ById => _temp.File("dev/disk/by-id");

    /// <summary>A disk's sysfs directory: size in 512-byte sectors, flags, and any other attributes given.</summary>
    private void Disk(string name, long sectors, string removable = "0", string ro = "0", params (string File, string Text)[] attributes)
    {
        _temp.Write($"sys/block/{name}/size", $"{sectors}\n");
        _temp.Write($"sys/block/{name}/removable", $"{removable}\n");
        _temp.Write($"sys/block/{name}/ro", $"{ro}\n");
        foreach (var (file, text) in attributes)
        {
            _temp.Write($"sys/block/{name}/{file}", text);
        }
    }

    private void Link(string name, string device)
    {
        Directory.CreateDirectory(ById);
        File.CreateSymbolicLink(Path.Combine(ById, name), $"../../{device}");
    }

    [Fact]
    public async Task Reads_whole_disks_with_size_flags_serial_model_partitions_and_by_id_links()
    {
        Disk("vda", 67108864, attributes: [("serial", "VDA-SERIAL\n"), ("vda1/partition", "1\n"), ("vda2/partition", "2\n"), ("queue/rotational", "1\n")]);
        Disk("sdb", 31457280, removable: "1", attributes: [("device/serial", "  USB123 \n"), ("device/model", "Flash Disk      \n")]);
        Disk("nvme0n1", 2097152, ro: "1", attributes: [("device/wwid", "eui.0025\n")]);
        Link("virtio-VDA-SERIAL", "vda");
        Link("virtio-VDA-SERIAL-part1", "vda1");
        Link("usb-Flash_Disk_USB123-0:0", "sdb");
        Link("usb-Flash_Disk_USB123-0:0-part1", "sdb1");

        var disks = await DiskScanner.ScanAsync(SysBlock, ById);

        Assert.Equal(["nvme0n1", "sdb", "vda"], disks.Select(d => d.Name));
        var vda = disks[2];
        Assert.Equal(32L << 30, vda.SizeBytes);
        Assert.False(vda.Removable);
        Assert.False(vda.ReadOnly);
        Assert.Equal("VDA-SERIAL", vda.Serial);
        Assert.Null(vda.Model);
        Assert.Equal(["vda1", "vda2"], vda.Partitions);
        Assert.Equal([Path.Combine(ById, "virtio-VDA-SERIAL")], vda.ById);
        Assert.Null(vda.Signature);

        var sdb = disks[1];
        Assert.True(sdb.Removable);
        Assert.Equal("USB123", sdb.Serial);
        Assert.Equal("Flash Disk", sdb.Model);
        Assert.Empty(sdb.Partitions);
        Assert.Equal([Path.Combine(ById, "usb-Flash_Disk_USB123-0:0")], sdb.ById);

        var nvme = disks[0];
        Assert.True(nvme.ReadOnly);
        Assert.Equal("eui.0025", nvme.Serial);
        Assert.Empty(nvme.ById);
    }

    [Fact]
    public async Task Skips_loop_ram_optical_mapper_and_raid_devices()
    {
        Disk("vda", 2048);
        foreach (var name in new[] { "loop0", "ram0", "zram0", "sr0", "fd0", "dm-0", "md127", "nbd0", "zd0" })
        {
            Disk(name, 2048);
        }

        var disks = await DiskScanner.ScanAsync(SysBlock, ById);

        Assert.Equal(["vda"], disks.Select(d => d.Name));
    }

    [Fact]
    public async Task Follows_sysfs_style_symlinks_and_prefers_the_device_serial()
    {
        // /sys/block/<name> is a link into /sys/devices.
        Disk("../devices/pci0/block/sda", 2048, attributes: [("device/serial", "DEVICE\n"), ("serial", "OWN\n")]);
        Directory.CreateDirectory(SysBlock);
        File.CreateSymbolicLink(Path.Combine(SysBlock, "sda"), "../devices/pci0/block/sda");

        var disk = Assert.Single(await DiskScanner.ScanAsync(SysBlock, ById));

        Assert.Equal("sda", disk.Name);
        Assert.Equal(1L << 20, disk.SizeBytes);
        Assert.Equal("DEVICE", disk.Serial);
    }

    [Fact]
    public async Task Empty_serial_and_model_are_null_and_a_missing_by_id_directory_means_no_links()
    {
        Disk("vda", 2048, attributes: [("serial", "\n"), ("device/model", "   \n")]);

        var disk = Assert.Single(await DiskScanner.ScanAsync(SysBlock, ById));

        Assert.Null(disk.Serial);
        Assert.Null(disk.Model);
        Assert.Empty(disk.ById);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Installer.ToDisk;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

/// <summary>
/// The live system's install refusing before it touches a disk: the mounts, blkid and the disk tools are scripted (the real run is
/// BootTest's bare-metal), so what these check is that no wipefs, blkdiscard or write was ever started.
/// </summary>
public sealed class DiskInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ScriptedProcesses _processes = new();
    private readonly StringWriter _console = new();

    public DiskInstallerTests()
    {
        _temp.Write("dev/sr0", "");
        _temp.Write("dev/vdc", "");
        Directory.CreateDirectory(_temp.File("by-label"));
        File.CreateSymbolicLink(_temp.File("by-label/" + InstallMedium.VolumeId), _temp.File("dev/sr0"));
        File.CreateSymbolicLink(_temp.File("by-label/PIGSTY"), _temp.File("dev/vdc"));
        _temp.Write("medium/" + InstallMedium.Manifest,
            new InstallImage("0.1.0", "image.img", 8L << 30, new string('a', 64), "pigsty/image.img.gz", new string('b', 64)).ToJson());
        _temp.Write("seed/pigsty.yml", TestNode.SingleNode);
        Disk("vdc", 4L << 20);
        // The seed locator's probe of the PIGSTY volume finds FAT; the installer's own probes (-p) of the disks find nothing.
        _processes.On(s => s.FileName == "blkid", _ => ScriptedProcesses.Fail(2, ""));
        _processes.On(s => s.FileName == "blkid" && !s.Arguments.Contains("-p"), _ => ScriptedProcesses.Ok("vfat\n"));
        _processes.On(s => s.FileName == "mountpoint", _ => ScriptedProcesses.Fail(1, ""));
    }

    public void Dispose()
    {
        _temp.Dispose();
        _console.Dispose();
    }

    private void Disk(string name, long bytes, params string[] partitions)
    {
        _temp.Write($"sys/block/{name}/size", $"{bytes / 512}\n");
        _temp.Write($"sys/block/{name}/removable", "0\n");
        _temp.Write($"sys/block/{name}/ro", "0\n");
        foreach (var partition in partitions)
        {
            _temp.Write($"sys/block/{name}/{partition}/partition", "1\n");
        }
    }

    private Task<BlockDisk> RunAsync()
    {
        var seeds = new SeedLocator(_processes, NullLogger<SeedLocator>.Instance, new SeedLocations
        {
            ByLabel = _temp.File("by-label"),
            MountPoint = _temp.File("seed"),
            SysBlock = _temp.File("sys/block"),
            KernelCommandLine = _temp.File("cmdline"),
            Embedded = _temp.File("default.yml"),
            Carried = _temp.File("carried"),
        });
        var locations = new ToDiskLocations
        {
            ByLabel = _temp.File("by-label"),
            SysBlock = _temp.File("sys/block"),
            SysClassBlock = _temp.File("sys/block"),
            ById = _temp.File("by-id"),
            Medium = _temp.File("medium"),
            Target = _temp.File("target"),
            Dev = _temp.File("dev"),
            CountdownSeconds = 0,
            MediumWait = TimeSpan.Zero,
        };
        return new DiskInstaller(_processes, seeds, NullLogger<DiskInstaller>.Instance, _console, locations).RunAsync(CancellationToken.None);
    }

    private void AssertNoDiskTouched() =>
        Assert.DoesNotContain(_processes.Runs, r => r.FileName is "wipefs" or "blkdiscard" or "sfdisk" || (r.FileName == "mount" && r.Arguments.Contains("ext4")));

    [Fact]
    public async Task Without_the_medium_it_fails_naming_its_label_and_mounts_nothing()
    {
        Disk("vda", 32L << 30);
        File.Delete(_temp.File("by-label/" + InstallMedium.VolumeId));

        var error = await Assert.ThrowsAsync<IntegrityException>(RunAsync);

        Assert.Contains($"no device labelled {InstallMedium.VolumeId} appeared", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_processes.Runs, r => r.FileName == "mount");
        AssertNoDiskTouched();
    }

    [Fact]
    public async Task A_stick_whose_label_udev_gave_to_a_partition_is_mounted_whole()
    {
        Disk("vda", 32L << 30, "vda1");
        Disk("sda", 1L << 30, "sda3");
        File.CreateSymbolicLink(_temp.File("sys/block/sda3"), _temp.File("sys/block/sda/sda3"));
        _temp.Write("dev/sda3", "");
        File.Delete(_temp.File("by-label/" + InstallMedium.VolumeId));
        File.CreateSymbolicLink(_temp.File("by-label/" + InstallMedium.VolumeId), _temp.File("dev/sda3"));

        var error = await Assert.ThrowsAsync<InputException>(RunAsync); // stopped by vda's partition, after the medium was mounted

        Assert.Contains("vda1", error.Message, StringComparison.Ordinal);
        var mount = Assert.Single(_processes.Runs, r => r.FileName == "mount" && r.Arguments.Contains("iso9660"));
        Assert.Equal(["-t", "iso9660", "-o", "ro", _temp.File("dev/sda"), _temp.File("medium")], mount.Arguments);
    }

    [Fact]
    public async Task Two_equal_disks_and_no_rule_stop_before_anything_is_written()
    {
        Disk("vda", 32L << 30);
        Disk("vdb", 32L << 30);

        var error = await Assert.ThrowsAsync<InputException>(RunAsync);

        Assert.Contains("several candidate disks", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.File("seed/pigsty.yml"), error.Message, StringComparison.Ordinal);
        AssertNoDiskTouched();
    }

    [Fact]
    public async Task A_disk_holding_partitions_is_not_erased_without_install_wipe()
    {
        Disk("vda", 32L << 30, "vda1", "vda2");

        var error = await Assert.ThrowsAsync<InputException>(RunAsync);

        Assert.Contains("holds partitions vda1, vda2", error.Message, StringComparison.Ordinal);
        AssertNoDiskTouched();
    }

    [Fact]
    public async Task A_seed_that_already_installed_a_server_stops_the_medium_booted_again()
    {
        Disk("vda", 32L << 30);
        _temp.Write("seed/" + InstallMedium.DoneWriteBack, "image.img onto vda (32 GiB) at 2026-12-03 07:00:00 UTC\n");

        var error = await Assert.ThrowsAsync<InputException>(RunAsync);

        Assert.Contains("already installed a server (image.img onto vda (32 GiB)", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove the installer medium", error.Message, StringComparison.Ordinal);
        AssertNoDiskTouched();
    }

    [Fact]
    public async Task Without_a_disk_large_enough_every_disk_is_named_with_why_including_the_seed_volumes_and_nothing_is_announced()
    {
        Disk("vda", 4L << 30);

        var error = await Assert.ThrowsAsync<InputException>(RunAsync);

        Assert.Contains("no disk to install on", error.Message, StringComparison.Ordinal);
        Assert.Contains("vdc (4 MiB): the disk holding the seed volume", error.Message, StringComparison.Ordinal);
        Assert.Contains("vda (4 GiB): 4 GiB, smaller than the image's 8 GiB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("will ERASE", _console.ToString(), StringComparison.Ordinal);
    }
}

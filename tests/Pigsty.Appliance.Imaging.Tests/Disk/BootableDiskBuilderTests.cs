using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Disk;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Disk;

public sealed class BootableDiskBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Builds_all_three_partitions_in_named_steps()
    {
        var tree = FakeRoot(_temp);
        var uuid = Guid.NewGuid();
        var image = _temp.File("out/disk.img");

        var built = await new BootableDiskBuilder(ProcessRunner.Silent).BuildAsync(
            new BootableDiskOptions(image, 256 * TestLayouts.MiB, tree, uuid) { Guids = GuidSource.FromSeed("t"), SourceDateEpoch = 1_700_000_000 },
            CancellationToken.None);

        Assert.Equal(["gpt", "ext4", "esp", "bios"], built.Steps.Select(s => s.Name));
        Assert.True(GptReader.TryRead(image, out var disk, out var problems), string.Join("; ", problems));
        Assert.Equal(built.Disk, disk with { Partitions = built.Disk.Partitions });
        Assert.Equal(["BIOS boot", "EFI system", "root"], disk.Partitions.Select(p => p.Name));
        Assert.Equal(GuidSource.FromSeed("t").Next("disk"), disk.DiskGuid);
        var root = disk.Partition(BootableDisk.RootPartition);
        Assert.Contains($"Filesystem UUID:          {uuid}", await HostTools.RunAsync("dumpe2fs", "-h", $"{image}?offset={root.OffsetBytes}"), StringComparison.Ordinal);
        var esp = disk.Partition(BootableDisk.EspPartition).Region(image);
        Assert.Contains("::/EFI/BOOT/BOOTX64.EFI", await new FatImageBuilder(ProcessRunner.Silent).ListAsync(esp, CancellationToken.None));
        Assert.Equal("/vmlinuz", built.Grub.Entries[0].KernelPath);
        Assert.Equal($"root=UUID={uuid} ro console=tty0 console=ttyS0,115200", built.Grub.Entries[0].CommandLine);
        Assert.Equal([image], Directory.GetFiles(_temp.File("out")));
    }

    [Fact]
    public async Task The_same_tree_seed_and_epoch_give_the_same_image_bytes()
    {
        var tree = FakeRoot(_temp);
        var uuid = GuidSource.FromSeed("repro").Next("ext4:root");
        var builder = new BootableDiskBuilder(ProcessRunner.Silent);
        BootableDiskOptions Options(string name) =>
            new(_temp.File(name), 128 * TestLayouts.MiB, tree, uuid) { Guids = GuidSource.FromSeed("repro"), SourceDateEpoch = 1_700_000_000 };

        // mke2fs copies each file's atime, and the first read of a fresh tree moves it (relatime): builds after that one
        // see a tree that no longer changes. Everything outside the root filesystem is the same from the first build on.
        var first = await builder.BuildAsync(Options("a.img"), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await builder.BuildAsync(Options("b.img"), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await builder.BuildAsync(Options("c.img"), CancellationToken.None);

        var a = await File.ReadAllBytesAsync(_temp.File("a.img"));
        var b = await File.ReadAllBytesAsync(_temp.File("b.img"));
        var root = first.Disk.Partition(BootableDisk.RootPartition);
        var firstDifference = a.AsSpan(0, (int)root.OffsetBytes).CommonPrefixLength(b.AsSpan(0, (int)root.OffsetBytes));
        Assert.True(firstDifference == root.OffsetBytes, $"MBR, GPT, BIOS boot and ESP must be identical; first difference at byte {firstDifference}");
        Assert.True(a.AsSpan((int)(root.OffsetBytes + root.SizeBytes)).SequenceEqual(b.AsSpan((int)(root.OffsetBytes + root.SizeBytes))), "backup GPT is identical");
        Assert.Equal(b, await File.ReadAllBytesAsync(_temp.File("c.img")));
    }

    [Fact]
    public async Task A_tree_without_a_kernel_leaves_no_image()
    {
        var image = _temp.File("disk.img");

        await Assert.ThrowsAsync<InputException>(() => new BootableDiskBuilder(ProcessRunner.Silent).BuildAsync(
            new BootableDiskOptions(image, 256 * TestLayouts.MiB, _temp.Write("empty/etc/hostname", "x").Replace("/etc/hostname", "", StringComparison.Ordinal), Guid.NewGuid()),
            CancellationToken.None));

        Assert.Equal([], Directory.GetFiles(_temp.Path));
    }

    /// <summary>A root tree with a fake kernel and initrd behind the /vmlinuz and /initrd.img links, as Debian lays them out.</summary>
    internal static string FakeRoot(TempDirectory temp)
    {
        temp.Write("root/boot/vmlinuz-6.1.0-1-amd64", new string('x', 64 * 1024));
        temp.Write("root/boot/initrd.img-6.1.0-1-amd64", "not an initrd\n");
        File.CreateSymbolicLink(temp.File("root/vmlinuz"), "boot/vmlinuz-6.1.0-1-amd64");
        File.CreateSymbolicLink(temp.File("root/initrd.img"), "boot/initrd.img-6.1.0-1-amd64");
        return temp.File("root");
    }
}

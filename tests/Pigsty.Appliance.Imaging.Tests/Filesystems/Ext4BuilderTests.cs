using System.Globalization;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Regions;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Filesystems;

public sealed class Ext4BuilderTests : IDisposable
{
    private const long Epoch = 1_700_000_000;
    private readonly TempDirectory _temp = new();
    private readonly Ext4Builder _builder = new(ProcessRunner.Silent);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Fills_the_root_partition_from_a_directory_and_leaves_the_rest_of_the_disk_alone()
    {
        var tree = _temp.File("tree");
        _temp.Write("tree/etc/hostname", "pigsty\n");
        _temp.Write("tree/boot/vmlinuz-6.1.0-test", "not a kernel");
        File.CreateSymbolicLink(_temp.File("tree/vmlinuz"), "boot/vmlinuz-6.1.0-test");
        var image = _temp.File("disk.img");
        var disk = GptWriter.Write(image, TestLayouts.ApplianceLayout(256 * TestLayouts.MiB, GuidSource.Random));
        var esp = disk.Partition("EFI system");
        var root = disk.Partition("root");
        WriteSentinels(image, esp.OffsetBytes + esp.SizeBytes - 512, disk.BackupEntriesLba * 512 - 512);
        var uuid = Guid.NewGuid();

        await _builder.BuildAsync(root.Region(image), new Ext4Options(uuid, "pigsty-root", tree, Epoch), CancellationToken.None);

        var device = $"{image}?offset={root.OffsetBytes}";
        var fsck = await HostTools.TryRunAsync("fsck.ext4", "-fn", device);
        Assert.True(fsck.ExitCode == 0, fsck.StandardOutput + fsck.StandardError);
        var super = await HostTools.RunAsync("dumpe2fs", "-h", device);
        Assert.Contains($"Filesystem UUID:          {uuid}", super, StringComparison.Ordinal);
        Assert.Contains("Filesystem volume name:   pigsty-root", super, StringComparison.Ordinal);
        Assert.Contains($"Block count:              {root.SizeBytes / 4096}", super, StringComparison.Ordinal);
        Assert.Contains("Filesystem created:       " + DateTimeOffset.FromUnixTimeSeconds(Epoch).LocalDateTime.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture), super, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata_csum_seed", super, StringComparison.Ordinal);
        Assert.Equal("pigsty\n", await HostTools.RunAsync("debugfs", "-R", "cat /etc/hostname", device));
        Assert.Contains("Fast link dest: \"boot/vmlinuz-6.1.0-test\"", await HostTools.RunAsync("debugfs", "-R", "stat /vmlinuz", device), StringComparison.Ordinal);
        // GRUB's own ext2 driver (grub-fstest runs the same code as ext2.mod) reads the file through the symlink.
        Assert.Equal("not a kernel", await HostTools.RunAsync("grub-fstest", image, "cat", $"(loop0,gpt{root.Number})/vmlinuz"));
        Assert.True(GptReader.TryRead(image, out _, out var problems), string.Join("; ", problems));
        AssertSentinels(image, esp.OffsetBytes + esp.SizeBytes - 512, disk.BackupEntriesLba * 512 - 512);
        Assert.True(await HostTools.AllocatedBytesAsync(image) < 64 * TestLayouts.MiB, "the image stays sparse");
    }

    [Fact]
    public async Task A_missing_source_directory_is_named()
    {
        var image = _temp.File("fs.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(16 * TestLayouts.MiB);
        }

        var error = await Assert.ThrowsAsync<InputException>(() =>
            _builder.BuildAsync(DiskRegion.WholeFile(image), new Ext4Options(Guid.NewGuid(), SourceDirectory: _temp.File("nope")), CancellationToken.None));

        Assert.Contains(_temp.File("nope"), error.Message, StringComparison.Ordinal);
    }

    private static void WriteSentinels(string image, params long[] offsets)
    {
        using var file = File.OpenWrite(image);
        foreach (var offset in offsets)
        {
            file.Position = offset;
            file.Write(Enumerable.Repeat((byte)0xA5, 512).ToArray());
        }
    }

    private static void AssertSentinels(string image, params long[] offsets)
    {
        using var file = File.OpenRead(image);
        foreach (var offset in offsets)
        {
            var buffer = new byte[512];
            file.Position = offset;
            file.ReadExactly(buffer);
            Assert.All(buffer, b => Assert.Equal(0xA5, b));
        }
    }
}

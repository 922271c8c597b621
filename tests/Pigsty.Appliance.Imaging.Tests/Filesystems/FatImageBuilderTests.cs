using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Regions;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Filesystems;

public sealed class FatImageBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FatImageBuilder _builder = new(ProcessRunner.Silent);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Makes_a_fat32_esp_inside_a_large_disk_with_nested_files()
    {
        // mkfs.vfat alone would size clusters by the 4 GiB file and make an invalid FAT32 with too few clusters.
        var image = _temp.File("disk.img");
        var disk = GptWriter.Write(image, TestLayouts.ApplianceLayout(4096 * TestLayouts.MiB, GuidSource.Random));
        var esp = disk.Partition("EFI system").Region(image);
        var loader = _temp.Write("BOOTX64.EFI", "fake loader");
        var grubCfg = _temp.Write("grub.cfg", "set timeout=1\n");

        await _builder.BuildAsync(esp, new FatOptions("esp", 0xCAFE1234,
            [new FatFile("EFI/BOOT/BOOTX64.EFI", loader), new FatFile("EFI/debian/grub.cfg", grubCfg)], FatBits: 32),
            CancellationToken.None);

        var listing = await _builder.ListAsync(esp, CancellationToken.None);
        Assert.Contains("::/EFI/BOOT/BOOTX64.EFI", listing);
        Assert.Contains("::/EFI/debian/grub.cfg", listing);
        var fsck = await FsckAsync(esp);
        Assert.True(fsck.ExitCode == 0, fsck.StandardOutput + fsck.StandardError);
        var info = await HostTools.RunAsync("minfo", "-i", $"{image}@@{esp.OffsetBytes}", "::");
        Assert.Contains("serial number: CAFE1234", info, StringComparison.Ordinal);
        Assert.Contains("disk type=\"FAT32   \"", info, StringComparison.Ordinal);
        Assert.Contains("label=\"ESP        \"", info, StringComparison.Ordinal);
        Assert.True(GptReader.TryRead(image, out _, out var problems), string.Join("; ", problems));
    }

    [Fact]
    public async Task Makes_a_small_seed_volume_file()
    {
        var userData = _temp.Write("seed/pigsty.yml", "all:\n  children: {}\n");
        var image = _temp.File("seed.img");

        var region = await _builder.CreateFileAsync(image, 2 * TestLayouts.MiB,
            new FatOptions("PIGSTY", 0x00C0FFEE, [new FatFile("pigsty.yml", userData)], SourceDateEpoch: 1_700_000_000),
            CancellationToken.None);

        Assert.Equal(new DiskRegion(image, 0, 2 * TestLayouts.MiB), region);
        Assert.Equal("all:\n  children: {}\n", await HostTools.RunAsync("mtype", "-i", image, "::/pigsty.yml"));
        var fsck = await FsckAsync(region);
        Assert.True(fsck.ExitCode == 0, fsck.StandardOutput + fsck.StandardError);
        Assert.Contains("LABEL=\"PIGSTY\"", await HostTools.RunAsync("blkid", "-p", image), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_seed_volume_leaves_no_file()
    {
        var image = _temp.File("seed.img");

        await Assert.ThrowsAsync<InputException>(() => _builder.CreateFileAsync(image, 2 * TestLayouts.MiB,
            new FatOptions("CIDATA", 1, [new FatFile("user-data", _temp.File("missing"))]), CancellationToken.None));

        Assert.False(File.Exists(image));
    }

    [Theory]
    [InlineData(null, 2, 12, 2)]
    [InlineData(null, 64, 16, 4)]
    [InlineData(32, 64, 32, 1)]
    [InlineData(32, 300, 32, 8)]
    [InlineData(32, 100, 32, 2)]
    [InlineData(null, 1024, 32, 8)]
    [InlineData(16, 8, 16, 1)]
    public void Geometry_keeps_cluster_counts_within_each_fat_width(int? requested, long mib, int bits, int clusterSectors) =>
        Assert.Equal((bits, clusterSectors), FatGeometry.Choose(requested, mib * TestLayouts.MiB));

    [Theory]
    [InlineData(32, 32)]
    [InlineData(16, 1)]
    public void Sizes_too_small_for_the_fat_width_are_refused(int bits, long mib) =>
        Assert.Throws<InputException>(() => FatGeometry.Choose(bits, mib * TestLayouts.MiB));

    /// <summary>fsck.vfat has no offset option: check a copy of the region.</summary>
    private async Task<Core.Processes.ProcessResult> FsckAsync(DiskRegion region)
    {
        var copy = _temp.File("fat-copy.img");
        await using (var source = File.OpenRead(region.ImagePath))
        await using (var target = File.Create(copy))
        {
            source.Position = region.OffsetBytes;
            var buffer = new byte[region.SizeBytes];
            source.ReadExactly(buffer);
            await target.WriteAsync(buffer);
        }

        return await HostTools.TryRunAsync("fsck.vfat", "-n", copy);
    }
}

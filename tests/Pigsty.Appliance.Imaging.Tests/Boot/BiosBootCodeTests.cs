using System.Buffers.Binary;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Boot;

/// <summary>The grub-bios-setup work on bytes, against GRUB's real boot.img and a core image grub-mkimage made.</summary>
public sealed class BiosBootCodeTests : IDisposable
{
    private const long CoreLba = 2048;
    private static readonly GrubConfig Config = GrubConfig.Single(Guid.NewGuid(), "t", "/vmlinuz", "/initrd.img", "ro");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Boot_sector_points_at_the_core_image_and_keeps_the_partition_table()
    {
        var boot = await File.ReadAllBytesAsync(Path.Combine(GrubTarget.I386Pc.ModuleDirectory, "boot.img"));
        var core = await CoreAsync();
        var mbr = ProtectiveMbr();

        var patched = BiosBootCode.Patch(boot, mbr, core, CoreLba, 2048);

        var m = patched.Mbr;
        Assert.Equal(boot[..BiosBootCode.BpbStart], m[..BiosBootCode.BpbStart]);
        Assert.Equal(mbr[BiosBootCode.BpbStart..BiosBootCode.BpbEnd], m[BiosBootCode.BpbStart..BiosBootCode.BpbEnd]);
        Assert.Equal((ulong)CoreLba, BinaryPrimitives.ReadUInt64LittleEndian(m.AsSpan(0x5C)));
        Assert.Equal(0xFF, m[0x64]);
        Assert.Equal(boot[0x65], m[0x65]);
        Assert.Equal([0x90, 0x90], m[0x66..0x68]);
        Assert.Equal(boot[0x68..0x1B8], m[0x68..0x1B8]);
        Assert.Equal(mbr[0x1B8..], m[0x1B8..]);
    }

    [Fact]
    public async Task Core_image_gets_one_blocklist_run_and_a_terminator()
    {
        var boot = await File.ReadAllBytesAsync(Path.Combine(GrubTarget.I386Pc.ModuleDirectory, "boot.img"));
        var core = await CoreAsync();

        var patched = BiosBootCode.Patch(boot, ProtectiveMbr(), core, CoreLba, 2048);

        var sectors = (core.Length + 511) / 512;
        Assert.Equal(sectors * 512, patched.Core.Length);
        Assert.Equal(sectors, patched.CoreSectors);
        var c = patched.Core.AsSpan();
        Assert.Equal((ulong)(CoreLba + 1), BinaryPrimitives.ReadUInt64LittleEndian(c[0x1F4..]));
        Assert.Equal(sectors - 1, BinaryPrimitives.ReadUInt16LittleEndian(c[0x1FC..]));
        Assert.Equal(0x820, BinaryPrimitives.ReadUInt16LittleEndian(c[0x1FE..]));
        Assert.All(c[0x1E8..0x1F4].ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(core[..0x1E8], patched.Core[..0x1E8]);
        Assert.Equal(core[512..], patched.Core[512..core.Length]);
        Assert.All(patched.Core[core.Length..], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task A_core_image_larger_than_the_partition_is_a_layout_error()
    {
        var boot = await File.ReadAllBytesAsync(Path.Combine(GrubTarget.I386Pc.ModuleDirectory, "boot.img"));
        var core = await CoreAsync();

        var error = Assert.Throws<InputException>(() => BiosBootCode.Patch(boot, ProtectiveMbr(), core, CoreLba, 16));

        Assert.Contains("the BIOS boot partition holds 16 sectors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_that_are_not_grub_images_are_refused()
    {
        var boot = await File.ReadAllBytesAsync(Path.Combine(GrubTarget.I386Pc.ModuleDirectory, "boot.img"));
        var core = await CoreAsync();

        Assert.Throws<IntegrityException>(() => BiosBootCode.Patch(new byte[512], ProtectiveMbr(), core, CoreLba, 2048));
        Assert.Throws<IntegrityException>(() => BiosBootCode.Patch(boot, ProtectiveMbr(), new byte[4096], CoreLba, 2048));
        Assert.Throws<IntegrityException>(() => BiosBootCode.Patch(boot, ProtectiveMbr(), core[..^1024], CoreLba, 2048));
    }

    [Fact]
    public async Task Installing_into_a_gpt_disk_keeps_the_gpt_valid()
    {
        var image = _temp.File("disk.img");
        var disk = GptWriter.Write(image, TestLayouts.ApplianceLayout(128 * TestLayouts.MiB, GuidSource.Random));
        var bios = disk.Partition("BIOS boot");

        var written = await new GrubBiosInstaller(new GrubImageBuilder(ProcessRunner.Silent))
            .InstallAsync(image, bios, Config, null, CancellationToken.None);

        Assert.True(GptReader.TryRead(image, out _, out var problems), string.Join("; ", problems));
        Assert.Contains("No problems found", await HostTools.RunAsync("sgdisk", "-v", image), StringComparison.Ordinal);
        await using var file = File.OpenRead(image);
        var bytes = new byte[written.Core.Length];
        file.Position = bios.OffsetBytes;
        file.ReadExactly(bytes);
        Assert.Equal(written.Core, bytes);
        Assert.True(written.Core.Length < 512 * 1024, $"core image of {written.Core.Length} bytes must stay loadable below 640 KiB");
    }

    private async Task<byte[]> CoreAsync()
    {
        var path = _temp.File("core.img");
        await new GrubImageBuilder(ProcessRunner.Silent).BuildAsync(GrubTarget.I386Pc, Config, path, 0, CancellationToken.None);
        return await File.ReadAllBytesAsync(path);
    }

    private static byte[] ProtectiveMbr()
    {
        using var stream = new MemoryStream();
        var disk = GptWriter.Plan(TestLayouts.ApplianceLayout(128 * TestLayouts.MiB, GuidSource.Random));
        stream.SetLength(disk.SizeBytes);
        GptWriter.WriteStructures(stream, disk);
        var mbr = stream.ToArray()[..512];
        mbr[0x1B8] = 0x12;
        mbr[0x10] = 0x34;
        return mbr;
    }
}

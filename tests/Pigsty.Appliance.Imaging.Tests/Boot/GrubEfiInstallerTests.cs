using System.Text;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Boot;

public sealed class GrubEfiInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Puts_grub_with_our_config_at_the_fallback_path_of_a_fat32_esp()
    {
        var image = _temp.File("disk.img");
        var disk = GptWriter.Write(image, TestLayouts.ApplianceLayout(128 * TestLayouts.MiB, GuidSource.Random));
        var esp = disk.Partition("EFI system").Region(image);
        var root = Guid.NewGuid();
        var config = GrubConfig.Single(root, "Pigsty", "/vmlinuz", "/initrd.img", KernelCommandLine.For(root));
        var fat = new FatImageBuilder(ProcessRunner.Silent);

        var size = await new GrubEfiInstaller(new GrubImageBuilder(ProcessRunner.Silent), fat)
            .InstallAsync(esp, config, new FatOptions("ESP", 0xABCD0123, []), CancellationToken.None);

        Assert.Contains("::/EFI/BOOT/BOOTX64.EFI", await fat.ListAsync(esp, CancellationToken.None));
        var loader = _temp.File("BOOTX64.EFI");
        await HostTools.RunAsync("mcopy", "-i", $"{image}@@{esp.OffsetBytes}", "::/EFI/BOOT/BOOTX64.EFI", loader);
        var bytes = await File.ReadAllBytesAsync(loader);
        Assert.Equal(size, bytes.Length);
        Assert.Equal("MZ"u8.ToArray(), bytes[..2]);
        // x86_64-efi images are not compressed: the memdisk (a tar holding grub.cfg) is visible as it is.
        var text = Encoding.Latin1.GetString(bytes);
        Assert.Contains("boot/grub/grub.cfg", text, StringComparison.Ordinal);
        Assert.Contains(config.Render(), text, StringComparison.Ordinal);
        Assert.Contains("FAT32", await HostTools.RunAsync("minfo", "-i", $"{image}@@{esp.OffsetBytes}", "::"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_config_and_epoch_give_the_same_loader()
    {
        var root = Guid.NewGuid();
        var config = GrubConfig.Single(root, "Pigsty", "/vmlinuz", "/initrd.img", KernelCommandLine.For(root));
        var builder = new GrubImageBuilder(ProcessRunner.Silent);

        await builder.BuildAsync(GrubTarget.X8664Efi, config, _temp.File("a.efi"), 1_700_000_000, CancellationToken.None);
        await builder.BuildAsync(GrubTarget.X8664Efi, config, _temp.File("b.efi"), 1_700_000_000, CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(_temp.File("a.efi")), await File.ReadAllBytesAsync(_temp.File("b.efi")));
    }
}

using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Imaging.Iso;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Iso;

/// <summary>The installer medium as xorriso reads it back, and its GRUB menu.</summary>
public sealed class HybridIsoTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static readonly ImageDefinition Image = new("appliance-d12", "pigsty-d12", "image-base", "linux-image-amd64", 8L << 30, 256L << 20,
        [Firmware.Uefi, Firmware.Bios], ["raw"], "pigsty", "C.UTF-8", "UTC", ["tty0", "ttyS0,115200"], "seeds/meta.yml", [], "images/appliance-d12.yml");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_iso_boots_as_a_cd_under_bios_and_uefi_and_carries_the_tree_under_its_volume_id()
    {
        var tree = _temp.File("medium");
        _temp.Write("medium/" + InstallMedium.Kernel, "not a kernel");
        _temp.Write("medium/" + InstallMedium.Manifest, "{}");
        _temp.Write("medium/boot/grub/grub.cfg", InstallerIsoBuilder.Config(Image, "0.1.0").Render());
        var iso = _temp.File("out.iso");

        await HybridIso.MakeAsync(ProcessRunner.Silent, tree, iso, CancellationToken.None);

        var torito = await HostTools.RunAsync("xorriso", "-indev", iso, "-report_el_torito", "plain");
        Assert.Contains("El Torito boot img :   1  BIOS", torito, StringComparison.Ordinal);
        Assert.Contains("El Torito boot img :   2  UEFI", torito, StringComparison.Ordinal);
        var volume = await HostTools.RunAsync("xorriso", "-indev", iso, "-pvd_info");
        Assert.Contains($"Volume Id    : {InstallMedium.VolumeId}", volume, StringComparison.Ordinal);
        var files = await HostTools.RunAsync("xorriso", "-indev", iso, "-find", "/", "-type", "f");
        Assert.Contains("'/" + InstallMedium.Kernel + "'", files, StringComparison.Ordinal);
        Assert.Contains("'/" + InstallMedium.Manifest + "'", files, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void The_menu_finds_the_medium_by_its_label_and_boots_the_live_system_on_both_consoles()
    {

        var config = InstallerIsoBuilder.Config(Image, "0.1.0").Render();

        Assert.Contains($"search --no-floppy --label --set=root {InstallMedium.VolumeId}\n", config, StringComparison.Ordinal);
        Assert.Contains($"linux /{InstallMedium.Kernel} console=tty0 console=ttyS0,115200 rdinit=/init\n", config, StringComparison.Ordinal);
        Assert.Contains($"initrd /{InstallMedium.Initrd}\n", config, StringComparison.Ordinal);
        Assert.DoesNotContain("fs-uuid", config, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checksum_of_an_image_is_read_from_its_own_line_only()
    {
        var sums = "aaa  pigsty-appliance-0.1.0.d12.x86_64.qcow2\nbbb  pigsty-appliance-0.1.0.d12.x86_64.img\n";

        Assert.Equal("bbb", InstallerIsoBuilder.ChecksumOf(sums, "pigsty-appliance-0.1.0.d12.x86_64.img"));
        Assert.Null(InstallerIsoBuilder.ChecksumOf(sums, "pigsty-appliance-0.1.0.d12.x86_64.iso"));
    }
}

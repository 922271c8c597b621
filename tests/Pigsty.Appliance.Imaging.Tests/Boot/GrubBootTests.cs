using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Imaging.Tests.Boot;

/// <summary>
/// Both firmware paths reach our GRUB, which finds the root filesystem by UUID and opens the kernel there: the kernel is a
/// text file, so GRUB's own "invalid magic number" proves the whole chain up to Linux without needing one.
/// </summary>
[Trait(Traits.Category, Traits.Vm)]
public sealed class GrubBootTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(Firmware.Bios)]
    [InlineData(Firmware.Uefi)]
    public async Task Grub_finds_the_root_filesystem_and_opens_the_kernel(Firmware firmware)
    {
        var runner = ProcessRunner.Silent;
        _temp.Write("root/boot/vmlinuz-6.1.0-1-amd64", new string('x', 64 * 1024));
        _temp.Write("root/boot/initrd.img-6.1.0-1-amd64", "not an initrd\n");
        var image = _temp.File("disk.img");
        var disk = GptWriter.Write(image, TestLayouts.ApplianceLayout(128 * TestLayouts.MiB, GuidSource.Random));
        var rootUuid = Guid.NewGuid();
        await new Ext4Builder(runner).BuildAsync(disk.Partition("root").Region(image), new Ext4Options(rootUuid, "root", _temp.File("root")),
            CancellationToken.None);
        var (kernel, initrd) = KernelLocator.Find(_temp.File("root"));
        var config = GrubConfig.Single(rootUuid, "Pigsty", kernel, initrd, KernelCommandLine.For(rootUuid)) with { TimeoutSeconds = 0 };
        var images = new GrubImageBuilder(runner);
        await new GrubEfiInstaller(images, new FatImageBuilder(runner)).InstallAsync(disk.Partition("EFI system").Region(image), config,
            new FatOptions("ESP", 0x1234ABCD, []), CancellationToken.None);
        await new GrubBiosInstaller(images).InstallAsync(image, disk.Partition("BIOS boot"), config, null, CancellationToken.None);

        var qemu = new QemuRunner(runner, new AcceleratorProbe(runner), NullLogger<QemuRunner>.Instance);
        await using var vm = await qemu.StartAsync(new QemuBootOptions(image, firmware) { MemoryMiB = 256, Cpus = 1 }, CancellationToken.None);
        var line = await vm.WaitForLineAsync(l => l.Contains("invalid magic number", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), CancellationToken.None);

        foreach (var l in vm.Lines)
        {
            output.WriteLine($"[{l.Elapsed.TotalSeconds,7:0.00}] {l.Text}");
        }

        Assert.NotNull(line);
        Assert.Contains("invalid magic number", line.Text, StringComparison.Ordinal);
        Assert.NotNull(vm.Timeline[BootPhase.Bootloader]);
        Assert.Contains(vm.Lines, l => l.Text.Contains($"Loading Linux {kernel} ...", StringComparison.Ordinal));
    }
}

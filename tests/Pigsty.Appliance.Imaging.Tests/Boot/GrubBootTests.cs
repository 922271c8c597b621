using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Disk;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Imaging.Tests.Disk;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Imaging.Tests.Boot;

/// <summary>
/// Both firmware paths reach our GRUB, which finds the root filesystem by UUID and opens the kernel there: the kernel is
/// 64 KiB of text, so GRUB's own "invalid magic number" proves the chain up to Linux in seconds, without a real kernel.
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
        var built = await new BootableDiskBuilder(runner).BuildAsync(
            new BootableDiskOptions(_temp.File("disk.img"), 128 * TestLayouts.MiB, BootableDiskBuilderTests.FakeRoot(_temp), Guid.NewGuid())
            {
                GrubTimeoutSeconds = 0,
            },
            CancellationToken.None);

        var qemu = new QemuRunner(runner, new AcceleratorProbe(runner), NullLogger<QemuRunner>.Instance);
        await using var vm = await qemu.StartAsync(new QemuBootOptions(built.ImagePath, firmware) { MemoryMiB = 256, Cpus = 1 }, CancellationToken.None);
        var line = await vm.WaitForLineAsync(l => l.Contains("error:", StringComparison.Ordinal), TimeSpan.FromSeconds(120), CancellationToken.None);

        foreach (var l in vm.Lines)
        {
            output.WriteLine($"[{l.Elapsed.TotalSeconds,7:0.00}] {l.Text}");
        }

        Assert.NotNull(line);
        Assert.Equal("error: invalid magic number.", line.Text);
        Assert.NotNull(vm.Timeline[BootPhase.Bootloader]);
        Assert.Contains(vm.Lines, l => l.Text == "Loading Linux /vmlinuz ...");
    }
}

using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Imaging.Tests.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

public sealed class DiskConverterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DiskConverter _converter = new(ProcessRunner.Silent);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(DiskFormat.Qcow2, "qcow2", true)]
    [InlineData(DiskFormat.Vmdk, "vmdk", false)]
    [InlineData(DiskFormat.Vhdx, "vhdx", false)]
    [InlineData(DiskFormat.Raw, "raw", false)]
    public async Task Converts_a_raw_disk_without_changing_what_the_guest_sees(DiskFormat format, string name, bool compress)
    {
        var raw = _temp.File("disk.img");
        GptWriter.Write(raw, TestLayouts.ApplianceLayout(128 * TestLayouts.MiB, GuidSource.Random));
        var output = _temp.File($"out/disk.{name}");

        await _converter.ConvertAsync(raw, output, format, compress, CancellationToken.None);

        var info = await _converter.InspectAsync(output, CancellationToken.None);
        Assert.Equal(name, info.Format);
        Assert.Equal(128 * TestLayouts.MiB, info.VirtualSizeBytes);
        Assert.Contains("Images are identical", await HostTools.RunAsync("qemu-img", "compare", "-f", "raw", "-F", name, raw, output), StringComparison.Ordinal);
        Assert.Equal([$"disk.{name}"], Directory.GetFiles(_temp.File("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_conversion_leaves_nothing_behind()
    {
        var notAnImage = _temp.Write("dir-as-image/x", "");
        var output = _temp.File("out/disk.qcow2");

        await Assert.ThrowsAnyAsync<Exception>(() =>
            _converter.ConvertAsync(Path.GetDirectoryName(notAnImage)!, output, DiskFormat.Qcow2, false, CancellationToken.None));

        Assert.False(File.Exists(output));
    }
}

using Pigsty.Appliance.Core.Errors;
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_or_cancelled_conversion_leaves_nothing_behind(bool cancel)
    {
        var raw = _temp.Write("disk.img", "raw");
        var output = _temp.File("out/disk.qcow2");
        var fake = new HalfWritingQemuImg(fail: !cancel);
        using var cancellation = new CancellationTokenSource();
        var conversion = new DiskConverter(fake).ConvertAsync(raw, output, DiskFormat.Qcow2, true, cancellation.Token);
        await fake.Started;
        Assert.Single(Directory.GetFiles(_temp.File("out")));

        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => conversion);
        Assert.IsType(cancel ? typeof(TaskCanceledException) : typeof(ToolException), error);
        Assert.Empty(Directory.GetFiles(_temp.File("out")));
    }

    [Fact]
    public async Task A_missing_source_is_named()
    {
        var error = await Assert.ThrowsAsync<InputException>(() =>
            _converter.ConvertAsync(_temp.File("missing.img"), _temp.File("out.qcow2"), DiskFormat.Qcow2, false, CancellationToken.None));

        Assert.Contains("missing.img", error.Message, StringComparison.Ordinal);
    }
}

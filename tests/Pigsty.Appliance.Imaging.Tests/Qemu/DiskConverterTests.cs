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

    [Fact]
    public async Task A_cancelled_conversion_leaves_nothing_behind()
    {
        // A 3 TiB sparse disk keeps qemu-img busy writing VMDK grain tables for seconds: long enough to cancel it midway.
        var raw = _temp.File("huge.img");
        await using (var file = File.Create(raw))
        {
            file.SetLength(3L * 1024 * 1024 * 1024 * 1024);
        }

        var output = _temp.File("out/disk.vmdk");
        using var cancel = new CancellationTokenSource();
        var conversion = _converter.ConvertAsync(raw, output, DiskFormat.Vmdk, false, cancel.Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(Directory.Exists(_temp.File("out")) && Directory.GetFiles(_temp.File("out")).Length > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.False(conversion.IsCompleted, "the conversion must still run when it is cancelled");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => conversion);
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

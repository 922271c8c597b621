using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Pipelines;
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
    public async Task With_progress_the_real_qemu_img_reports_its_percentage_up_to_100()
    {
        // Data in the first MiBs and a hole after it, as in a real raw image: qemu-img reports as it walks the disk.
        var raw = _temp.File("disk.img");
        GptWriter.Write(raw, TestLayouts.ApplianceLayout(128 * TestLayouts.MiB, GuidSource.Random));
        var reported = new List<double>();
        var output = _temp.File("out/disk.qcow2");

        await new DiskConverter(ProcessRunner.Silent).ConvertAsync(raw, output, DiskFormat.Qcow2, false, new SyncProgress<double>(reported.Add), CancellationToken.None);

        Assert.NotEmpty(reported);
        Assert.Equal(100.0, reported[^1]);
        Assert.Equal(reported.Order(), reported);
        Assert.Contains("Images are identical", await HostTools.RunAsync("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_adds_p_to_the_command_and_none_leaves_it_out()
    {
        var raw = _temp.Write("disk.img", "raw");
        var runs = new ScriptedProcesses();
        runs.On(_ => true, spec =>
        {
            File.WriteAllText(spec.Arguments[^1], "converted");
            return ScriptedProcesses.Ok(spec.Arguments.Contains("-p") ? "    (0.00/100%)\r    (50.00/100%)\r    (100.00/100%)\r\n" : "");
        });
        var reported = new List<double>();

        await new DiskConverter(runs).ConvertAsync(raw, _temp.File("a.vmdk"), DiskFormat.Vmdk, false, new SyncProgress<double>(reported.Add), CancellationToken.None);
        await new DiskConverter(runs).ConvertAsync(raw, _temp.File("b.vmdk"), DiskFormat.Vmdk, false, CancellationToken.None);

        Assert.Equal([0.0, 50.0, 100.0], reported);
        Assert.Equal([true, false], runs.Runs.Select(r => r.Arguments.Contains("-p")));
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

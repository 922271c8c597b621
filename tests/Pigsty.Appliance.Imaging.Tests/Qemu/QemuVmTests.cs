using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

/// <summary>The VM's console following, waiting and stopping, with a fake QEMU.</summary>
public sealed class QemuVmTests : IDisposable
{
    private static readonly string[] Boot =
    [
        "\u001b[2JBdsDxe: starting Boot0001",
        "Loading Linux /vmlinuz ...",
        "[    0.000000] Linux version 6.1.0-40-amd64",
        "[    4.2] systemd[1]: systemd 252 running in system mode",
        "PIGSTY-MARKER ok",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Boot_waits_for_the_marker_records_phases_logs_lines_and_stops_the_vm()
    {
        var fake = new FakeQemuRunner(Boot, lineDelay: TimeSpan.FromMilliseconds(20));
        var seen = new List<string>();
        var options = Options(Firmware.Uefi) with { SerialLogPath = _temp.File("logs/serial.log"), Marker = "PIGSTY-MARKER", OnConsoleLine = l => seen.Add(l.Text) };

        var result = await Runner(fake).BootAsync(options, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(result.Reached);
        Assert.Equal(BootPhase.Marker, result.Awaited);
        Assert.Equal([BootPhase.Firmware, BootPhase.Bootloader, BootPhase.Kernel, BootPhase.Userspace, BootPhase.Marker],
            result.Timeline.Phases.Select(p => p.Key));
        Assert.True(fake.WasCancelled, "the VM is stopped once the marker is seen");
        Assert.Equal("BdsDxe: starting Boot0001", seen[0]);
        var log = await File.ReadAllLinesAsync(_temp.File("logs/serial.log"));
        Assert.Equal(5, log.Length);
        Assert.Matches(@"^\[ +\d+\.\d{3}\] PIGSTY-MARKER ok$", log[^1]);
        Assert.Contains(fake.Spec!.Arguments, a => a.StartsWith("if=pflash,format=raw,unit=1,file=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lines_seen_before_the_wait_count_and_a_timeout_returns_null()
    {
        var fake = new FakeQemuRunner(Boot);
        await using var vm = await Runner(fake).StartAsync(Options(Firmware.Bios), CancellationToken.None);

        var kernel = await vm.WaitForPhaseAsync(BootPhase.Kernel, TimeSpan.FromSeconds(10), CancellationToken.None);
        var again = await vm.WaitForLineAsync(l => l.StartsWith("Loading Linux", StringComparison.Ordinal), TimeSpan.FromSeconds(1), CancellationToken.None);
        var never = await vm.WaitForLineAsync(l => l.Contains("login:", StringComparison.Ordinal), TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal("[    0.000000] Linux version 6.1.0-40-amd64", kernel!.Text);
        Assert.Equal("Loading Linux /vmlinuz ...", again!.Text);
        Assert.Null(never);
        Assert.False(vm.HasExited);
        await vm.StopAsync();
        Assert.True(vm.HasExited);
        Assert.True(fake.WasCancelled);
    }

    [Fact]
    public async Task Stopping_and_disposing_again_is_harmless()
    {
        var fake = new FakeQemuRunner(Boot);
        var vm = await Runner(fake).StartAsync(Options(Firmware.Bios), CancellationToken.None);

        await vm.DisposeAsync();
        await vm.DisposeAsync();
        await vm.StopAsync();

        Assert.True(vm.HasExited);
        Assert.True(fake.WasCancelled);
    }

    [Fact]
    public async Task A_qemu_failure_surfaces_to_the_waiter()
    {
        var fake = new FakeQemuRunner([], new ToolException("qemu-system-x86_64", 1, "could not open disk image", "qemu-system-x86_64 exited with code 1"));
        await using var vm = await Runner(fake).StartAsync(Options(Firmware.Bios), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ToolException>(() => vm.WaitForPhaseAsync(BootPhase.Kernel, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal("could not open disk image", error.StderrTail);
    }

    [Fact]
    public async Task A_missing_image_is_named_before_anything_runs()
    {
        var fake = new FakeQemuRunner([]);

        var error = await Assert.ThrowsAsync<InputException>(() =>
            Runner(fake).StartAsync(new QemuBootOptions(_temp.File("missing.img"), Firmware.Bios), CancellationToken.None));

        Assert.Contains("missing.img", error.Message, StringComparison.Ordinal);
        Assert.Null(fake.Spec);
    }

    private QemuBootOptions Options(Firmware firmware) =>
        new(_temp.Write("disk.img", ""), firmware) { Accelerator = Accelerator.Tcg };

    private static QemuRunner Runner(FakeQemuRunner fake) =>
        new(fake, new AcceleratorProbe(fake), NullLogger<QemuRunner>.Instance);
}

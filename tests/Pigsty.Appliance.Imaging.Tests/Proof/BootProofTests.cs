using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Imaging.Tests.Proof;

/// <summary>
/// The proof that our disk code makes a bootable Debian 12: one image, booted under OVMF and under SeaBIOS with no network
/// (restrict=on), must print the marker of its own systemd unit on the serial console before the deadline.
/// The VmTest target runs it (its rootfs comes from the host's Debian mirror, hence Network, then from a cache); by hand:
/// <c>dotnet test tests/Pigsty.Appliance.Imaging.Tests --filter "FullyQualifiedName~BootProofTests" --logger "console;verbosity=detailed"</c>
/// (set PIGSTY_TEST_ARTIFACTS to keep the serial logs).
/// </summary>
[Trait(Traits.Category, Traits.Vm)]
[Trait(Traits.Category, Traits.Network)]
[Trait(Traits.Category, Traits.Slow)]
public sealed class BootProofTests(ProofDisk disk, ITestOutputHelper output) : IClassFixture<ProofDisk>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(Firmware.Uefi)]
    [InlineData(Firmware.Bios)]
    public async Task Debian_boots_to_the_marker_without_network(Firmware firmware)
    {
        var runner = ProcessRunner.Silent;
        output.WriteLine("image build steps: " + string.Join(", ", disk.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Elapsed.TotalSeconds:0.000} s"))));
        output.WriteLine($"image: {disk.SizeBytes / (1024 * 1024)} MiB, {disk.AllocatedBytes / (1024 * 1024)} MiB allocated");
        var probe = await new AcceleratorProbe(runner).ProbeAsync(CancellationToken.None);
        output.WriteLine($"accelerator: {probe.Accelerator} ({probe.Reason}; probe took {probe.Took.TotalSeconds:0.00} s)");
        var logDirectory = Environment.GetEnvironmentVariable("PIGSTY_TEST_ARTIFACTS") is { Length: > 0 } artifacts ? artifacts : Path.GetTempPath();
        var log = Path.Combine(logDirectory, $"boot-proof-{firmware.ToString().ToLowerInvariant()}.serial.log");
        var qemu = new QemuRunner(runner, new AcceleratorProbe(runner), NullLogger<QemuRunner>.Instance);

        var result = await qemu.BootAsync(new QemuBootOptions(disk.ImagePath, firmware)
        {
            Marker = ProofDisk.Marker,
            SerialLogPath = log,
            Forwards = [PortForward.ToFreeHostPort(22)],
        }, Deadline, CancellationToken.None);

        var t = result.Timeline;
        output.WriteLine($"{firmware} with {result.Accelerator}: {t}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"firmware → bootloader {Seconds(t.Elapsed(BootPhase.Bootloader))}, bootloader → kernel {Seconds(t.Between(BootPhase.Bootloader, BootPhase.Kernel))}, "
            + $"kernel → systemd {Seconds(t.Between(BootPhase.Kernel, BootPhase.Userspace))}, systemd → marker {Seconds(t.Between(BootPhase.Userspace, BootPhase.Marker))}, "
            + $"total {Seconds(t.Elapsed(BootPhase.Marker))}"));
        output.WriteLine($"marker line: {t[BootPhase.Marker]?.Text}; serial log: {log}");
        Assert.True(result.Reached, $"no '{ProofDisk.Marker}' within {Deadline}; console tail:\n{result.Tail()}");
        Assert.NotNull(t[BootPhase.Bootloader]);
        Assert.NotNull(t[BootPhase.Kernel]);
        Assert.NotNull(t[BootPhase.Userspace]);
        Assert.Contains(result.Console, l => l.Text.Contains("Loading Linux /vmlinuz ...", StringComparison.Ordinal));
    }

    private static string Seconds(TimeSpan? span) =>
        span is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:0.0} s") : "n/a";
}

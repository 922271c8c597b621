using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Imaging.Seeds;

namespace Pigsty.Appliance.Imaging.BootTesting;

/// <summary>Boots an image offline under QEMU, follows first boot on the serial console, then lets the caller probe the guest.</summary>
public sealed class BootTester(IProcessRunner runner, QemuRunner qemu, ILogger<BootTester> logger)
{
    /// <summary>Host-side checks of a guest, given the first-boot result line (null when the deadline passed first).</summary>
    public delegate Task<IReadOnlyList<CheckResult>> Checks(BootedGuest guest, string? result, CancellationToken cancellationToken);

    /// <summary>Boots, waits for a first-boot milestone of <see cref="BootTestOptions.Until"/>, runs <paramref name="checks"/>, stops the VM.</summary>
    public async Task<BootTestRun> RunAsync(string name, BootTestOptions options, Checks checks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(checks);
        Directory.CreateDirectory(options.WorkDirectory);
        var overlay = await OverlayAsync(name, options, cancellationToken);
        var drives = new List<QemuDrive>();
        if (options.Seed is { } seed)
        {
            drives.Add(new QemuDrive(await SeedDriveAsync(name, seed, options.WorkDirectory, cancellationToken), "raw", Writable: true));
        }

        var serial = Path.Combine(options.WorkDirectory, $"{name}.serial.log");
        await using var vm = await qemu.StartAsync(new QemuBootOptions(overlay, options.Firmware)
        {
            ImageFormat = "qcow2",
            ImageWritable = true,
            MemoryMiB = options.MemoryMiB,
            Cpus = options.Cpus,
            Forwards = options.GuestPorts.Select(PortForward.ToFreeHostPort).ToList(),
            ExtraDrives = drives,
            SerialLogPath = serial,
        }, cancellationToken);
        var line = await vm.WaitForLineAsync(l => FirstBootMilestone.Of(l) is { } m && options.Until.Contains(m), options.Deadline, cancellationToken);
        logger.LogInformation("{Name}: first boot {Outcome} after {Elapsed}", name, line?.Text ?? "did not finish", line?.Elapsed);
        var results = await checks(new BootedGuest(vm), line?.Text, cancellationToken);
        var passed = line is not null && results.All(c => c.Passed || c.Skipped);
        return new BootTestRun(name, options.Firmware.ToString().ToLowerInvariant(), vm.Accelerator.ToString().ToLowerInvariant(), passed,
            Phases(vm), line?.Text, results, serial);
    }

    /// <summary>Boot phases QEMU's runner recognises plus first-boot milestones, in seconds from QEMU's start.</summary>
    private static Dictionary<string, double> Phases(QemuVm vm)
    {
        var phases = vm.Timeline.Phases.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => Math.Round(p.Value.Elapsed.TotalSeconds, 1));
        foreach (var line in vm.Lines)
        {
            if (FirstBootMilestone.Of(line.Text) is { } milestone)
            {
                phases.TryAdd(milestone, Math.Round(line.Elapsed.TotalSeconds, 1));
            }
        }

        return phases;
    }

    private async Task<string> OverlayAsync(string name, BootTestOptions options, CancellationToken cancellationToken)
    {
        var overlay = Path.Combine(options.WorkDirectory, $"{name}.qcow2");
        File.Delete(overlay);
        var format = Path.GetExtension(options.ImagePath) == ".qcow2" ? "qcow2" : "raw";
        await runner.RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", "-F", format, "-b", Path.GetFullPath(options.ImagePath),
            overlay, options.DiskSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        return overlay;
    }

    /// <summary>A private, writable copy of the seed (first boot writes its result back to it).</summary>
    private async Task<string> SeedDriveAsync(string name, string seed, string work, CancellationToken cancellationToken)
    {
        var drive = Path.Combine(work, $"{name}.seed.img");
        if (seed.EndsWith(".yml", StringComparison.Ordinal) || seed.EndsWith(".yaml", StringComparison.Ordinal))
        {
            await SeedVolume.CreateAsync(runner, seed, drive, "PIGSTY", cancellationToken);
        }
        else
        {
            File.Copy(seed, drive, overwrite: true);
        }

        return drive;
    }
}

using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Imaging.Seeds;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>One virtual machine's disk (a qcow2 overlay of the image) and seed, booted as often as a test needs: resume and reboot keep state.</summary>
public sealed class BootSession
{
    private readonly QemuRunner _qemu;
    private readonly BootTestOptions _options;
    private readonly List<QemuDrive> _drives;
    private int _boots;

    private BootSession(QemuRunner qemu, BootTestOptions options, string name, string overlay, List<QemuDrive> drives)
    {
        _qemu = qemu;
        _options = options;
        Name = name;
        Overlay = overlay;
        _drives = drives;
    }

    public string Name { get; }

    /// <summary>The guest's disk: every boot of this session writes here.</summary>
    public string Overlay { get; }

    /// <summary>The seed volume attached to every boot, if any (first boot writes its result back to it).</summary>
    public string? SeedImage => _drives.FirstOrDefault()?.Path;

    /// <summary>Serial log of boot <paramref name="boot"/> (1-based).</summary>
    public string SerialLog(int boot) => Path.Combine(_options.WorkDirectory, boot == 1 ? $"{Name}.serial.log" : $"{Name}.boot{boot}.serial.log");

    /// <summary>Creates the overlay (larger than the image, to exercise root growing) and the seed volume.</summary>
    public static async Task<BootSession> CreateAsync(IProcessRunner runner, QemuRunner qemu, string name, BootTestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.WorkDirectory);
        var overlay = Path.Combine(options.WorkDirectory, $"{name}.qcow2");
        File.Delete(overlay);
        var format = Path.GetExtension(options.ImagePath) == ".qcow2" ? "qcow2" : "raw";
        await runner.RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", "-F", format, "-b", Path.GetFullPath(options.ImagePath),
            overlay, options.DiskSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        var drives = new List<QemuDrive>();
        if (options.Seed is { } seed)
        {
            var drive = Path.Combine(options.WorkDirectory, $"{name}.seed.img");
            if (seed.EndsWith(".yml", StringComparison.Ordinal) || seed.EndsWith(".yaml", StringComparison.Ordinal))
            {
                await SeedVolume.CreateAsync(runner, seed, drive, SeedMedia.DefaultLabel, cancellationToken);
            }
            else
            {
                File.Copy(seed, drive, overwrite: true);
            }

            drives.Add(new QemuDrive(drive, "raw", Writable: true));
        }

        return new BootSession(qemu, options, name, overlay, drives);
    }

    /// <summary>Powers the machine on; dispose the result to cut its power (SIGTERM to QEMU, then kill).</summary>
    public Task<QemuVm> BootAsync(CancellationToken cancellationToken) =>
        _qemu.StartAsync(new QemuBootOptions(Overlay, _options.Firmware)
        {
            ImageFormat = "qcow2",
            ImageWritable = true,
            MemoryMiB = _options.MemoryMiB,
            Cpus = _options.Cpus,
            Forwards = PortForward.ToFreeHostPorts([.. _options.GuestPorts]),
            ExtraDrives = _drives,
            Tap = _options.Tap,
            NetworkNamespace = _options.NetworkNamespace,
            SerialLogPath = SerialLog(++_boots),
        }, cancellationToken);
}

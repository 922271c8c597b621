using System.Globalization;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>The qemu-system-x86_64 command line for a boot: a pure function of the options, so tests can read it.</summary>
internal static class QemuCommand
{
    public const string Executable = "qemu-system-x86_64";

    public static ProcessSpec Build(QemuBootOptions options, Accelerator accelerator, string? ovmfVarsPath, string? pidFile = null)
    {
        var arguments = new List<string>
        {
            "-name", "pigsty-boot",
            "-machine", "q35",
            "-accel", accelerator == Accelerator.Kvm ? "kvm" : "tcg",
            "-cpu", accelerator == Accelerator.Kvm ? "host" : "max",
            "-smp", options.Cpus.ToString(CultureInfo.InvariantCulture),
            "-m", options.MemoryMiB.ToString(CultureInfo.InvariantCulture),
            "-nodefaults", "-no-user-config",
            "-display", "none",
            "-device", "VGA",
            // The console is what we follow; a guest reboot or panic ends the run instead of looping.
            "-serial", "stdio",
            "-no-reboot",
        };
        if (options.Firmware == Firmware.Uefi)
        {
            arguments.AddRange(["-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={Escape(options.OvmfCodePath)}"]);
            arguments.AddRange(["-drive", $"if=pflash,format=raw,unit=1,file={Escape(ovmfVarsPath!)}"]);
        }

        AddDrive(arguments, 0, new QemuDrive(options.ImagePath, options.ImageFormat, options.ImageWritable), bootIndex: 0);
        for (var i = 0; i < options.ExtraDrives.Count; i++)
        {
            AddDrive(arguments, i + 1, options.ExtraDrives[i], bootIndex: null);
        }

        if (options.Cdrom is { } iso)
        {
            // The q35 chipset's AHCI controller (kept by -nodefaults) with a CD drive after the disks in the boot order.
            arguments.AddRange(["-drive", $"file={Escape(iso)},format=raw,if=none,id=cd0,media=cdrom,readonly=on"]);
            arguments.AddRange(["-device", $"ide-cd,drive=cd0,bus=ide.0,bootindex=1"]);
        }

        if (options.Tap is { } tap)
        {
            // QEMU opens the tap itself: no ifup script runs on the host, the test wired the tap to its bridge beforehand.
            arguments.AddRange(["-netdev", $"tap,id=net1,ifname={Escape(tap.Interface)},script=no,downscript=no"]);
            arguments.AddRange(["-device", $"virtio-net-pci,netdev=net1,mac={tap.Mac},romfile="]);
        }

        if (options.Tap is null || options.Forwards.Count > 0)
        {
            // restrict=on: the guest reaches nothing outside; the host reaches forwarded ports on loopback only.
            var netdev = "user,id=net0,restrict=on" + string.Concat(options.Forwards.Select(f =>
                string.Create(CultureInfo.InvariantCulture, $",hostfwd=tcp:127.0.0.1:{f.HostPort}-:{f.GuestPort}")));
            arguments.AddRange(["-netdev", netdev]);
            // No option ROM: no PXE attempt can delay the boot.
            arguments.AddRange(["-device", "virtio-net-pci,netdev=net0,romfile="]);
        }

        if (pidFile is not null)
        {
            arguments.AddRange(["-pidfile", pidFile]);
        }

        // ip netns exec execs QEMU in place, so the process the runner stops (and a hard kill hits) is QEMU itself.
        return options.NetworkNamespace is { } ns
            ? new ProcessSpec("ip", ["netns", "exec", ns, Executable, .. arguments])
            : new ProcessSpec(Executable, arguments);
    }

    private static void AddDrive(List<string> arguments, int index, QemuDrive drive, int? bootIndex)
    {
        // snapshot=on: writes go to a temporary overlay, so the image file is never modified.
        var snapshot = drive.Writable ? "off" : "on";
        arguments.AddRange(["-drive", $"file={Escape(drive.Path)},format={drive.Format},if=none,id=disk{index},snapshot={snapshot}"]);
        arguments.AddRange(["-device", $"virtio-blk-pci,drive=disk{index}" + (bootIndex is { } b ? $",bootindex={b}" : "")]);
    }

    /// <summary>QEMU option values separate on commas; a comma inside a value is written twice.</summary>
    private static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}

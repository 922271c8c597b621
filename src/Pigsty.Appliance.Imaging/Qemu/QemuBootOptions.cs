namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>What VM to boot: the image (never modified), firmware, size, forwarded ports, extra drives and what to watch for.</summary>
/// <param name="ImagePath">The boot disk; attached with <c>snapshot=on</c> so the file never changes.</param>
/// <param name="Firmware">UEFI (OVMF) or BIOS (SeaBIOS).</param>
public sealed record QemuBootOptions(string ImagePath, Firmware Firmware)
{
    /// <summary>QEMU format of <see cref="ImagePath"/>.</summary>
    public string ImageFormat { get; init; } = "raw";

    /// <summary>Let the guest write the image itself (e.g. a qcow2 overlay kept across boots); false attaches it with snapshot=on.</summary>
    public bool ImageWritable { get; init; }

    /// <summary>Guest memory in MiB.</summary>
    public int MemoryMiB { get; init; } = 1024;

    /// <summary>Virtual CPUs.</summary>
    public int Cpus { get; init; } = 2;

    /// <summary>KVM, TCG, or Auto (probe KVM, fall back to TCG).</summary>
    public Accelerator Accelerator { get; init; } = Accelerator.Auto;

    /// <summary>Guest TCP ports the host reaches on 127.0.0.1; the guest itself reaches nothing (<c>restrict=on</c>).</summary>
    public IReadOnlyList<PortForward> Forwards { get; init; } = [];

    /// <summary>A NIC on a tap device (the guest's first NIC); with it and no <see cref="Forwards"/> the guest has no user-mode NIC at all.</summary>
    public TapNic? Tap { get; init; }

    /// <summary>The network namespace QEMU runs in (<c>ip netns exec</c>), where <see cref="Tap"/> lives; null runs it in this one.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>More disks after the boot disk (e.g. a seed volume), in order.</summary>
    public IReadOnlyList<QemuDrive> ExtraDrives { get; init; } = [];

    /// <summary>An ISO in a CD drive, booted after the disks (an empty disk falls through to it, as on a server); null: no drive.</summary>
    public string? Cdrom { get; init; }

    /// <summary>File the serial console is written to, line by line; null writes none.</summary>
    public string? SerialLogPath { get; init; }

    /// <summary>A console line (substring) the caller waits for, recorded as <see cref="BootPhase.Marker"/>.</summary>
    public string? Marker { get; init; }

    /// <summary>Called with every console line (escape sequences removed) as it arrives.</summary>
    public Action<ConsoleLine>? OnConsoleLine { get; init; }

    /// <summary>OVMF code (read-only flash).</summary>
    public string OvmfCodePath { get; init; } = "/usr/share/OVMF/OVMF_CODE_4M.fd";

    /// <summary>OVMF variable store template; each boot gets its own copy.</summary>
    public string OvmfVarsTemplatePath { get; init; } = "/usr/share/OVMF/OVMF_VARS_4M.fd";
}

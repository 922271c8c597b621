
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>One boot of an image under QEMU, offline, with the host probing the guest through forwarded loopback ports.</summary>
/// <param name="ImagePath">The image (raw .img or qcow2); never modified: the boot runs on a qcow2 overlay.</param>
/// <param name="WorkDirectory">Where the overlay, seed volume and serial log go (kept for reading afterwards).</param>
public sealed record BootTestOptions(string ImagePath, Firmware Firmware, string WorkDirectory)
{
    /// <summary>A seed: an inventory (.yml, written to a PIGSTY volume) or a ready seed image; null boots with the embedded default.</summary>
    public string? Seed { get; init; }

    /// <summary>How long first boot may take end to end.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>First-boot milestones that end the wait (see <see cref="FirstBootMilestone"/>); the first one seen wins.</summary>
    public IReadOnlyList<string> Until { get; init; } = ["done", "failed"];

    public int MemoryMiB { get; init; } = 4096;

    public int Cpus { get; init; } = 2;

    /// <summary>Virtual size of the overlay disk: larger than the image, so first boot's root growing is exercised.</summary>
    public long DiskSizeBytes { get; init; } = 24L << 30;

    /// <summary>A NIC on the test network's tap (see <see cref="Network.TestNetwork"/>); null gives the guest only the user-mode NIC.</summary>
    public TapNic? Tap { get; init; }

    /// <summary>The network namespace QEMU runs in (the one holding <see cref="Tap"/>).</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Guest TCP ports forwarded to free loopback ports on the host (5440: the full run's custom pg_services entry).</summary>
    public IReadOnlyList<int> GuestPorts { get; init; } =
        [22, 80, 443, 2379, 2381, 3000, 5432, 5433, 5434, 5436, 5438, 5440, 6432, 8008, 8428, 8880, 9001, 9059, 9100, 9101, 9115, 9428, 9630, 9631];
}

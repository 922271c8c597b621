namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Recognises boot milestones in console lines of OVMF, GRUB, Linux and systemd.</summary>
internal static class ConsolePhases
{
    public static BootPhase? Recognize(string line, string? marker)
    {
        if (marker is not null && line.Contains(marker, StringComparison.Ordinal))
        {
            return BootPhase.Marker;
        }

        if (line.Contains("Linux version ", StringComparison.Ordinal))
        {
            return BootPhase.Kernel;
        }

        if (line.Contains("BdsDxe:", StringComparison.Ordinal))
        {
            return BootPhase.Firmware;
        }

        if (line.Contains("GNU GRUB", StringComparison.Ordinal) || line.Contains("Loading Linux ", StringComparison.Ordinal)
            || line.Contains("Welcome to GRUB", StringComparison.Ordinal))
        {
            return BootPhase.Bootloader;
        }

        // initramfs-tools runs no systemd, so systemd's first words come from the real root.
        if (line.Contains("systemd[1]:", StringComparison.Ordinal) || line.StartsWith("Welcome to ", StringComparison.Ordinal))
        {
            return BootPhase.Userspace;
        }

        if (line.TrimEnd().EndsWith(" login:", StringComparison.Ordinal))
        {
            return BootPhase.Login;
        }

        return null;
    }
}

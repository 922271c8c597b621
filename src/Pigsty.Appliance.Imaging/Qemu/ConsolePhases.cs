using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Recognises boot milestones in console lines of OVMF, GRUB, Linux and systemd.</summary>
internal static partial class ConsolePhases
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

        if (LoginPrompt().IsMatch(line))
        {
            return BootPhase.Login;
        }

        return null;
    }

    // getty's "<hostname> login: " starts a line, but it waits for no newline: systemd's next status line often lands on the
    // same console line ("pg-meta-1 login: [  OK  ] Started dnsmasq.service…"), so the prompt need not end it.
    [GeneratedRegex(@"^\s*[A-Za-z0-9][A-Za-z0-9.-]* login:(\s|$)")]
    private static partial Regex LoginPrompt();
}

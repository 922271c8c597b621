using System.Globalization;
using System.Text;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>The one grub.cfg both firmware paths read: find the root filesystem by UUID, then boot a menu entry.</summary>
/// <param name="RootFilesystemUuid">UUID of the filesystem holding the kernels (GRUB's <c>search --fs-uuid</c>).</param>
/// <param name="Entries">Menu entries; the first is the default.</param>
public sealed record GrubConfig(Guid RootFilesystemUuid, IReadOnlyList<BootEntry> Entries)
{
    /// <summary>Seconds the menu waits; 0 boots at once.</summary>
    public int TimeoutSeconds { get; init; } = 1;

    /// <summary>Speed of the first serial port, where GRUB also draws its menu on BIOS machines.</summary>
    public int SerialSpeed { get; init; } = 115200;

    /// <summary>When set, GRUB finds the kernels' filesystem by this label (an ISO's volume id) instead of by <see cref="RootFilesystemUuid"/>.</summary>
    public string? RootLabel { get; init; }

    /// <summary>A config with one entry booting <paramref name="kernel"/> and <paramref name="initrd"/> with <paramref name="commandLine"/>.</summary>
    public static GrubConfig Single(Guid rootFilesystemUuid, string title, string kernel, string? initrd, string commandLine) =>
        new(rootFilesystemUuid, [new BootEntry(title, kernel, initrd, commandLine)]);

    /// <summary>The grub.cfg text (LF line endings); throws when a path or command line holds characters GRUB's script would interpret.</summary>
    public string Render()
    {
        if (Entries.Count == 0)
        {
            throw new InvalidOperationException("a GRUB config needs at least one boot entry");
        }

        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line(RootLabel is null
            ? "# Written by Pigsty.Appliance; embedded in BOOTX64.EFI and in the BIOS core image, (memdisk)/boot/grub/grub.cfg."
            : "# Written by Pigsty.Appliance; the installer medium's /boot/grub/grub.cfg, read by grub-mkrescue's BIOS and EFI images.");
        Line(string.Create(CultureInfo.InvariantCulture, $"serial --unit=0 --speed={SerialSpeed}"));
        // UEFI firmware (OVMF) already mirrors its console to the serial port; drawing on both would garble the menu.
        Line("if [ \"$grub_platform\" = \"pc\" ]; then");
        Line("  terminal_input serial console");
        Line("  terminal_output serial console");
        Line("fi");
        Line(RootLabel is { } label ? $"search --no-floppy --label --set=root {Plain(label)}" : $"search --no-floppy --fs-uuid --set=root {RootFilesystemUuid:D}");
        Line("set default=0");
        Line(string.Create(CultureInfo.InvariantCulture, $"set timeout={TimeoutSeconds}"));
        Line("set timeout_style=menu");
        foreach (var entry in Entries)
        {
            Line("");
            Line($"menuentry {Quote(entry.Title)} {{");
            Line($"  echo {Quote($"Loading Linux {entry.KernelPath} ...")}");
            Line($"  linux {Plain(entry.KernelPath)} {Plain(entry.CommandLine)}");
            if (entry.InitrdPath is { } initrd)
            {
                Line($"  echo {Quote($"Loading initial ramdisk {initrd} ...")}");
                Line($"  initrd {Plain(initrd)}");
            }

            Line("}");
        }

        return text.ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Words GRUB passes on as they are: no quotes, variables, escapes, separators or comments.</summary>
    private static string Plain(string text) =>
        text.IndexOfAny(['$', '\'', '"', '\\', ';', '{', '}', '#', '\n', '\r', '|', '&', '<', '>']) < 0 && text.Trim().Length > 0
            ? text
            : throw new InputException("GRUB config", $"'{text}' is empty or holds characters GRUB's script language would interpret");
}

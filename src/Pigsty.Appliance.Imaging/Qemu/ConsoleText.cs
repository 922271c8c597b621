using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Turns raw serial output into plain text: firmware and GRUB draw with terminal escape sequences.</summary>
internal static partial class ConsoleText
{
    /// <summary>The line without escape sequences, control characters (tabs kept) and undecodable bytes, trimmed at the end.</summary>
    /// <remarks>GRUB draws its menu frame in code page 437, which arrives as U+FFFD replacement characters.</remarks>
    public static string Plain(string raw)
    {
        var text = EscapeSequence().Replace(raw, "");
        return string.Concat(text.Where(c => c == '\t' || (!char.IsControl(c) && c != '\uFFFD'))).TrimEnd();
    }

    // CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), charset selection (ESC ( B) and two-character escapes (ESC c, ESC 7).
    [GeneratedRegex(@"\x1B(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)?|[()][0-9A-Za-z]|[@-Z\\-_=>78c])")]
    private static partial Regex EscapeSequence();
}

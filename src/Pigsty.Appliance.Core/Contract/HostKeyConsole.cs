namespace Pigsty.Appliance.Core.Contract;

/// <summary>
/// The SSH host keys a node shows on its console at every boot (<c>pigsty-hostkey: TYPE BASE64 comment</c>), as cloud images do: whoever
/// pins hosts in a known_hosts file (deploy, the boot tests) reads the key there instead of trusting the first connection.
/// </summary>
public static class HostKeyConsole
{
    /// <summary>What each key line starts with.</summary>
    public const string Prefix = "pigsty-hostkey: ";

    /// <summary>The public key line (<c>TYPE BASE64</c>) of a console line, or null when the line is not a host key line.</summary>
    public static string? KeyOf(string consoleLine)
    {
        ArgumentNullException.ThrowIfNull(consoleLine);
        var at = consoleLine.IndexOf(Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var fields = consoleLine[(at + Prefix.Length)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && (fields[0].StartsWith("ssh-", StringComparison.Ordinal) || fields[0].StartsWith("ecdsa-", StringComparison.Ordinal))
            ? $"{fields[0]} {fields[1]}"
            : null;
    }
}

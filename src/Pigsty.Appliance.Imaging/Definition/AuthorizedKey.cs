using System.Buffers.Binary;
using System.Text;

namespace Pigsty.Appliance.Imaging.Definition;

/// <summary>One OpenSSH public key line (<c>TYPE BASE64 [comment]</c>) as it goes into an image's authorized_keys.</summary>
public static class AuthorizedKey
{
    /// <summary>The key types OpenSSH 9.2 (Debian 12) accepts for user authentication.</summary>
    public static readonly IReadOnlyList<string> Types =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    /// <summary>
    /// Checks <paramref name="line"/>: a known type, a base64 blob that names the same type inside, an optional comment, one line. Returns
    /// null when it is one, else what is wrong (for an error naming where the line came from). Options before the type are refused: an
    /// image's key is a plain login key.
    /// </summary>
    public static string? Problem(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Any(char.IsControl))
        {
            return "a key is one line without control characters";
        }

        if (line.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return "this is a private key: give the public one (the .pub file); a private key never goes into an image";
        }

        var fields = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            return "expected 'TYPE BASE64 [comment]', e.g. the line of an id_ed25519.pub";
        }

        if (!Types.Contains(fields[0]))
        {
            return $"unknown key type '{Shorten(fields[0])}' (expected one of {string.Join(", ", Types)})";
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(fields[1]);
        }
        catch (FormatException)
        {
            return $"the {fields[0]} key is not base64";
        }

        return blob.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(blob) is var length && length <= blob.Length - 4
            && Encoding.ASCII.GetString(blob, 4, (int)length) == fields[0]
            ? null
            : $"the key data is not an {fields[0]} key (its blob names another type, or none)";
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

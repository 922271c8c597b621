using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>
/// An OpenSSH known_hosts file: plain and hashed (<c>|1|salt|hash</c>) host names, <c>[host]:port</c> for ports other than 22, and
/// <c>@revoked</c> lines. Host keys are pinned here; a key is recorded only when deploy was told to trust new hosts.
/// </summary>
public sealed class KnownHosts
{
    private readonly string _path;
    private readonly List<Entry> _entries;
    private readonly Lock _gate = new();

    private KnownHosts(string path, List<Entry> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>Reads the file (a missing file pins nothing); a line that is not a known_hosts entry is an input error naming it.</summary>
    public static KnownHosts Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var entries = new List<Entry>();
        if (File.Exists(path))
        {
            var number = 0;
            foreach (var raw in File.ReadAllLines(path))
            {
                number++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                entries.Add(Parse(line) ?? throw new InputException(new InputProblem(new SourceLocation(path, number, 1), "",
                    "not a known_hosts line (expected: [@revoked] HOSTS KEYTYPE BASE64-KEY [comment])")));
            }
        }

        return new KnownHosts(path, entries);
    }

    /// <summary>The name OpenSSH files a host under: the host alone on port 22, <c>[host]:port</c> otherwise.</summary>
    public static string HostName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>The key type written inside an SSH public key blob (e.g. <c>ssh-ed25519</c>, <c>ssh-rsa</c>).</summary>
    public static string KeyType(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(blob) is var length && length > blob.Length - 4)
        {
            throw new ArgumentException("not an SSH public key blob", nameof(blob));
        }

        return Encoding.ASCII.GetString(blob, 4, (int)length);
    }

    /// <summary>OpenSSH's fingerprint of a key blob: <c>SHA256:</c> and unpadded base64.</summary>
    public static string Fingerprint(byte[] blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>The key types the file pins for the host (to ask the host for one of those), empty when it names none.</summary>
    public IReadOnlyList<string> KeyTypesFor(string hostName)
    {
        lock (_gate)
        {
            return _entries.Where(e => !e.Revoked && e.Matches(hostName)).Select(e => e.KeyType).Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Judges the key <paramref name="blob"/> the host filed as <paramref name="hostName"/> presented.</summary>
    public HostKeyVerdict Check(string hostName, byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        lock (_gate)
        {
            if (_entries.Any(e => e.Revoked && e.Key.AsSpan().SequenceEqual(blob)))
            {
                return HostKeyVerdict.Mismatch;
            }

            var pinned = _entries.Where(e => !e.Revoked && e.Matches(hostName)).ToList();
            return pinned.Count == 0 ? HostKeyVerdict.Unknown
                : pinned.Any(e => e.Key.AsSpan().SequenceEqual(blob)) ? HostKeyVerdict.Known
                : HostKeyVerdict.Mismatch;
        }
    }

    /// <summary>Pins a new host's key: appends one line to the file (created 0600), as <c>ssh</c> would after "yes".</summary>
    public void Record(string hostName, byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var type = KeyType(blob);
        lock (_gate)
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var line = $"{hostName} {type} {Convert.ToBase64String(blob)}\n";
            var options = new FileStreamOptions
            {
                Mode = FileMode.Append, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(_path, options))
            {
                // A file that does not end with a newline (edited by hand) must not swallow the new line into its last one.
                if (stream.Length > 0 && LastByte(_path) != (byte)'\n')
                {
                    stream.WriteByte((byte)'\n');
                }

                stream.Write(Encoding.ASCII.GetBytes(line));
            }

            _entries.Add(new Entry(false, [hostName], type, blob));
        }
    }

    private static byte LastByte(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return (byte)read.ReadByte();
    }

    private static Entry? Parse(string line)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var revoked = false;
        if (fields[0].StartsWith('@'))
        {
            // @cert-authority lines pin a CA, not a host key: deploy does not take host certificates, so they pin nothing here.
            revoked = fields[0] == "@revoked";
            if (!revoked && fields[0] != "@cert-authority")
            {
                return null;
            }

            fields = fields[1..];
            if (!revoked)
            {
                return fields.Length >= 3 ? new Entry(false, [], fields[1], []) : null;
            }
        }

        if (fields.Length < 3)
        {
            return null;
        }

        try
        {
            return new Entry(revoked, fields[0].Split(','), fields[1], Convert.FromBase64String(fields[2]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>One line: its host patterns (plain, hashed or with * and ? wildcards; <c>!</c> negates), key type and key.</summary>
    private sealed record Entry(bool Revoked, IReadOnlyList<string> Patterns, string KeyType, byte[] Key)
    {
        public bool Matches(string hostName)
        {
            var matched = false;
            foreach (var pattern in Patterns)
            {
                var negated = pattern.StartsWith('!');
                var text = negated ? pattern[1..] : pattern;
                if (!(text.StartsWith("|1|", StringComparison.Ordinal) ? HashedMatch(text, hostName) : Glob(text, hostName)))
                {
                    continue;
                }

                if (negated)
                {
                    return false;
                }

                matched = true;
            }

            return matched;
        }

        private static bool HashedMatch(string pattern, string hostName)
        {
            var parts = pattern.Split('|');
            if (parts.Length != 4)
            {
                return false;
            }

            try
            {
                var hash = HMACSHA1.HashData(Convert.FromBase64String(parts[2]), Encoding.ASCII.GetBytes(hostName));
                return CryptographicOperations.FixedTimeEquals(hash, Convert.FromBase64String(parts[3]));
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static bool Glob(string pattern, string text)
        {
            if (pattern.Length == 0)
            {
                return text.Length == 0;
            }

            return pattern[0] switch
            {
                '*' => Enumerable.Range(0, text.Length + 1).Any(i => Glob(pattern[1..], text[i..])),
                '?' => text.Length > 0 && Glob(pattern[1..], text[1..]),
                _ => text.Length > 0 && char.ToLowerInvariant(pattern[0]) == char.ToLowerInvariant(text[0]) && Glob(pattern[1..], text[1..]),
            };
        }
    }
}

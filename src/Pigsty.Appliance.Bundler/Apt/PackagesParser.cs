using Pigsty.Appliance.Bundler.Versions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>Turns a whole Packages index into records, fast (one pass over the text, parallel chunks), and strictly.</summary>
public static class PackagesParser
{
    private const int ChunkSize = 4 << 20;

    /// <summary>Parses every paragraph; a malformed one throws <see cref="UpstreamException"/> naming <paramref name="label"/> and the line.</summary>
    /// <param name="text">The decompressed index.</param>
    /// <param name="source">The apt source the index was read from (kept in every record).</param>
    /// <param name="label">How errors name the index, e.g. <c>debian bookworm main/binary-amd64/Packages</c>.</param>
    public static IReadOnlyList<PackageRecord> Parse(string text, AptSource source, string label)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chunks = Split(text);
        var results = new List<PackageRecord>[chunks.Count];
        if (chunks.Count == 1)
        {
            results[0] = ParseChunk(text, chunks[0], source, label);
        }
        else
        {
            Parallel.For(0, chunks.Count, i => results[i] = ParseChunk(text, chunks[i], source, label));
        }

        var all = new List<PackageRecord>(results.Sum(r => r.Count));
        foreach (var part in results)
        {
            all.AddRange(part);
        }

        return all;
    }

    /// <summary>Cuts the text at paragraph boundaries into pieces worth a thread each, with each piece's first line number.</summary>
    private static List<(int Start, int End, int Line)> Split(string text)
    {
        var chunks = new List<(int Start, int End, int Line)>();
        var start = 0;
        var line = 1;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + ChunkSize);
            if (end < text.Length)
            {
                var boundary = text.IndexOf("\n\n", end, StringComparison.Ordinal);
                end = boundary < 0 ? text.Length : boundary + 2;
            }

            chunks.Add((start, end, line));
            line += text.AsSpan(start, end - start).Count('\n');
            start = end;
        }

        return chunks;
    }

    private static List<PackageRecord> ParseChunk(string text, (int Start, int End, int Line) chunk, AptSource source, string label)
    {
        var records = new List<PackageRecord>(chunk.Line == 1 ? 8192 : 4096);
        var names = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var fields = new List<KeyValuePair<string, string>>(24);
        var continuation = new System.Text.StringBuilder();
        string? pendingName = null;
        string? pendingValue = null;
        var stanzaLine = 0;
        var lineNumber = chunk.Line - 1;
        var position = chunk.Start;
        while (position < chunk.End)
        {
            var newline = text.IndexOf('\n', position, chunk.End - position);
            var lineEnd = newline < 0 ? chunk.End : newline;
            var line = text.AsSpan(position, lineEnd - position);
            position = lineEnd + 1;
            lineNumber++;
            if (line.IsWhiteSpace())
            {
                FlushField();
                if (fields.Count > 0)
                {
                    records.Add(ToRecord(fields, stanzaLine));
                    fields = new List<KeyValuePair<string, string>>(24);
                }

                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (pendingName is null)
                {
                    throw Malformed(lineNumber, "continuation line without a field");
                }

                if (continuation.Length == 0)
                {
                    continuation.Append(pendingValue);
                }

                var rest = line[1..];
                continuation.Append('\n');
                if (!(rest.Length == 1 && rest[0] == '.'))
                {
                    continuation.Append(rest);
                }

                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw Malformed(lineNumber, $"expected 'Field: value', got '{Truncate(line)}'");
            }

            FlushField();
            if (fields.Count == 0)
            {
                stanzaLine = lineNumber;
            }

            var nameSpan = line[..colon];
            if (!names.TryGetValue(nameSpan, out var name))
            {
                name = nameSpan.ToString();
                names[name] = name;
            }

            pendingName = name;
            pendingValue = line[(colon + 1)..].Trim().ToString();
        }

        FlushField();
        if (fields.Count > 0)
        {
            records.Add(ToRecord(fields, stanzaLine));
        }

        return records;

        void FlushField()
        {
            if (pendingName is null)
            {
                return;
            }

            foreach (var field in fields)
            {
                if (string.Equals(field.Key, pendingName, StringComparison.OrdinalIgnoreCase))
                {
                    throw Malformed(lineNumber, $"field '{pendingName}' appears twice in the paragraph starting at line {stanzaLine}");
                }
            }

            fields.Add(new(pendingName, continuation.Length > 0 ? continuation.ToString() : pendingValue!));
            continuation.Clear();
            pendingName = null;
            pendingValue = null;
        }

        PackageRecord ToRecord(List<KeyValuePair<string, string>> stanzaFields, int line)
        {
            string? package = null, version = null, architecture = null, filename = null, size = null, sha256 = null;
            foreach (var (key, value) in stanzaFields)
            {
                switch (key.Length)
                {
                    case 4 when key.Equals("Size", StringComparison.OrdinalIgnoreCase): size = value; break;
                    case 6 when key.Equals("SHA256", StringComparison.OrdinalIgnoreCase): sha256 = value; break;
                    case 7 when key.Equals("Package", StringComparison.OrdinalIgnoreCase): package = value; break;
                    case 7 when key.Equals("Version", StringComparison.OrdinalIgnoreCase): version = value; break;
                    case 8 when key.Equals("Filename", StringComparison.OrdinalIgnoreCase): filename = value; break;
                    case 12 when key.Equals("Architecture", StringComparison.OrdinalIgnoreCase): architecture = value; break;
                    default: break;
                }
            }

            var what = package is null ? "paragraph" : $"package '{package}'";
            if (package is null || !IsPackageName(package))
            {
                throw Malformed(line, package is null ? "paragraph has no Package field" : $"invalid package name '{package}'");
            }

            if (version is null || !DebianVersion.TryParse(version, out _))
            {
                throw Malformed(line, version is null ? $"{what} has no Version" : $"{what} has an invalid Version '{version}'");
            }

            if (string.IsNullOrEmpty(architecture) || architecture.Contains(' ', StringComparison.Ordinal))
            {
                throw Malformed(line, $"{what} has no single Architecture");
            }

            if (filename is null || !IsSafeRelativePath(filename))
            {
                throw Malformed(line, filename is null ? $"{what} has no Filename" : $"{what} has an unsafe Filename '{filename}'");
            }

            if (!long.TryParse(size, System.Globalization.NumberStyles.None, null, out var bytes))
            {
                throw Malformed(line, $"{what} has no valid Size");
            }

            if (sha256 is null || !Checksums.IsSha256(sha256))
            {
                throw Malformed(line, $"{what} has no valid SHA256");
            }

            return new PackageRecord(package, version, architecture, filename, bytes, sha256.ToLowerInvariant(), source,
                new ControlStanza(stanzaFields, owned: true));
        }

        UpstreamException Malformed(int line, string message) => new($"{label} line {line}: {message}");
    }

    /// <summary>Debian policy 5.6.1: lowercase letters, digits, <c>+ - .</c>, at least two characters, starting alphanumeric.</summary>
    internal static bool IsPackageName(string name) =>
        name.Length >= 2 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');

    /// <summary>A pool path we may join to a base URI or a repo directory: relative, no <c>..</c>, no backslash.</summary>
    internal static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && path[0] != '/' && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Any(char.IsControl) && !path.Split('/').Any(segment => segment is ".." or "." or "");

    private static string Truncate(ReadOnlySpan<char> line) => line.Length <= 60 ? line.ToString() : line[..60].ToString() + "…";
}

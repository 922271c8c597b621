using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Pigsty.Appliance.Bundler.Versions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Apt;

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
            // Each chunk keeps its own error so that the one reported is the first in the file, not the first thread to fail.
            var errors = new Exception?[chunks.Count];
            Parallel.For(0, chunks.Count, i =>
            {
                try
                {
                    results[i] = ParseChunk(text, chunks[i], source, label);
                }
                catch (UpstreamException e)
                {
                    errors[i] = e;
                }
            });
            if (errors.FirstOrDefault(e => e is not null) is { } first)
            {
                ExceptionDispatchInfo.Throw(first);
            }
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

    /// <summary>One pass over the lines: checks their shape, picks out the six fields a record needs, keeps each paragraph as a slice of the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<PackageRecord> ParseChunk(string text, (int Start, int End, int Line) chunk, AptSource source, string label)
    {
        var records = new List<PackageRecord>(chunk.Line == 1 ? 8192 : 4096);
        var keys = new string?[KeyCount];
        var stanzaStart = -1;
        var stanzaEnd = -1;
        var stanzaLine = 0;
        var previousKey = -1;
        var noted = 0u;
        var lineNumber = chunk.Line - 1;
        var position = chunk.Start;
        while (position < chunk.End)
        {
            var newline = text.IndexOf('\n', position, chunk.End - position);
            var lineEnd = newline < 0 ? chunk.End : newline;
            var line = text.AsSpan(position, lineEnd - position);
            var lineStart = position;
            position = lineEnd + 1;
            lineNumber++;
            if (line.IsWhiteSpace())
            {
                if (stanzaStart >= 0)
                {
                    records.Add(ToRecord(stanzaStart, stanzaEnd));
                    stanzaStart = -1;
                }

                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (stanzaStart < 0)
                {
                    throw Malformed(lineNumber, "continuation line without a field");
                }

                if (previousKey >= 0)
                {
                    throw Malformed(lineNumber, $"field {KeyNames[previousKey]} must be one line");
                }

                stanzaEnd = lineEnd;
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

            if (stanzaStart < 0)
            {
                stanzaStart = lineStart;
                stanzaLine = lineNumber;
                noted = 0;
                Array.Clear(keys);
            }

            stanzaEnd = lineEnd;
            previousKey = KeyIndex(line[..colon]);
            if (previousKey < 0 && ControlStanza.NotedField(line[..colon]) is var bit && bit >= 0)
            {
                noted |= 1u << bit;
            }

            if (previousKey >= 0)
            {
                if (keys[previousKey] is not null)
                {
                    throw Malformed(lineNumber, $"field {KeyNames[previousKey]} appears twice in the paragraph starting at line {stanzaLine}");
                }

                keys[previousKey] = line[(colon + 1)..].Trim().ToString();
            }
        }

        if (stanzaStart >= 0)
        {
            records.Add(ToRecord(stanzaStart, stanzaEnd));
        }

        return records;

        PackageRecord ToRecord(int start, int end)
        {
            var (package, version, architecture, filename, size, sha256) = (keys[0], keys[1], keys[2], keys[3], keys[4], keys[5]);
            var what = package is null ? "paragraph" : $"package '{package}'";
            if (package is null || !IsPackageName(package))
            {
                throw Malformed(stanzaLine, package is null ? "paragraph has no Package field" : $"invalid package name '{package}'");
            }

            if (version is null || !DebianVersion.TryParse(version, out _))
            {
                throw Malformed(stanzaLine, version is null ? $"{what} has no Version" : $"{what} has an invalid Version '{version}'");
            }

            if (string.IsNullOrEmpty(architecture) || architecture.Contains(' ', StringComparison.Ordinal))
            {
                throw Malformed(stanzaLine, $"{what} has no single Architecture");
            }

            if (filename is null || !IsSafeRelativePath(filename))
            {
                throw Malformed(stanzaLine, filename is null ? $"{what} has no Filename" : $"{what} has an unsafe Filename '{filename}'");
            }

            if (!long.TryParse(size, System.Globalization.NumberStyles.None, null, out var bytes))
            {
                throw Malformed(stanzaLine, $"{what} has no valid Size");
            }

            if (sha256 is null || !Checksums.IsSha256(sha256))
            {
                throw Malformed(stanzaLine, $"{what} has no valid SHA256");
            }

            return new PackageRecord(package, version, architecture, filename, bytes, sha256.ToLowerInvariant(), source,
                new ControlStanza(text.AsMemory(start, end - start), noted));
        }

        UpstreamException Malformed(int line, string message) => new($"{label} line {line}: {message}");
    }

    private const int KeyCount = 6;

    private static readonly string[] KeyNames = ["Package", "Version", "Architecture", "Filename", "Size", "SHA256"];

    /// <summary>Which of the record's fields a field name is (case-insensitive, as deb822 says), or -1.</summary>
    private static int KeyIndex(ReadOnlySpan<char> name) => name.Length switch
    {
        4 when name.Equals("Size", StringComparison.OrdinalIgnoreCase) => 4,
        6 when name.Equals("SHA256", StringComparison.OrdinalIgnoreCase) => 5,
        7 when name.Equals("Package", StringComparison.OrdinalIgnoreCase) => 0,
        7 when name.Equals("Version", StringComparison.OrdinalIgnoreCase) => 1,
        8 when name.Equals("Filename", StringComparison.OrdinalIgnoreCase) => 3,
        12 when name.Equals("Architecture", StringComparison.OrdinalIgnoreCase) => 2,
        _ => -1,
    };

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

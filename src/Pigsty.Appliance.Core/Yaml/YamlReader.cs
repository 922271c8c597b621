using Pigsty.Appliance.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>Reads one YAML document into <see cref="YamlValue"/>s that remember file, line and path; rejects duplicate keys.</summary>
public static class YamlReader
{
    /// <summary>Reads and parses a YAML file; a missing, oversized or non-UTF-8 file is an input error naming it.</summary>
    public static async Task<YamlValue> LoadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputException(path, $"cannot read the file: {e.Message}");
        }

        return Parse(Utf8Text.Decode(bytes, path), path);
    }

    /// <summary>Parses YAML text; <paramref name="file"/> names it in error messages.</summary>
    public static YamlValue Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > YamlLimits.MaxFileBytes)
        {
            throw TooLarge(file, text.Length);
        }

        var reader = new EventReader(new Parser(new StringReader(text)), file);
        try
        {
            return reader.ReadDocument();
        }
        catch (YamlException e)
        {
            throw Syntax(file, e.Start, e.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up without a position on some unclosed flow collections.
            throw Syntax(file, reader.LastMark, "unexpected structure (an unclosed '[' or '{'?)");
        }
    }

    /// <summary>The path of a child key: dotted, with keys that contain dots (IP addresses) in brackets.</summary>
    public static string ChildPath(string parent, string key) =>
        key.IndexOfAny(['.', '[', ']', ' ']) >= 0 ? $"{parent}[{key}]"
        : parent.Length == 0 ? key
        : $"{parent}.{key}";

    internal static SourceLocation Locate(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    private static InputException Syntax(string file, Mark mark, string message) =>
        new(new InputProblem(Locate(file, mark), "", $"YAML syntax error: {message}"));

    private static InputException TooLarge(string file, long size) =>
        new(file, $"{size} bytes is more than the {YamlLimits.MaxFileBytes >> 20} MiB a YAML input may have");

    /// <summary>The file's bytes; its size is checked before reading, and reading stops past the limit (a pipe or /proc file has no size).</summary>
    private static async Task<byte[]> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        if (stream.CanSeek && stream.Length > YamlLimits.MaxFileBytes)
        {
            throw TooLarge(path, stream.Length);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > YamlLimits.MaxFileBytes)
            {
                throw TooLarge(path, buffer.Length);
            }
        }

        return buffer.ToArray();
    }

    private sealed class EventReader(IParser parser, string file)
    {
        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private long _aliased;

        public Mark LastMark { get; private set; } = Mark.Empty;

        public YamlValue ReadDocument()
        {
            Expect<StreamStart>();
            if (Next() is StreamEnd end)
            {
                return new YamlScalar(Locate(file, end.Start), "", "", IsPlain: true);
            }

            if (parser.Current is not DocumentStart)
            {
                throw Syntax(file, LastMark, "expected the start of a document");
            }

            var root = ReadNode(Next(), "", 1).Value;
            Expect<DocumentEnd>();
            if (Next() is not StreamEnd)
            {
                throw new InputException(new InputProblem(Locate(file, LastMark), "",
                    "only one YAML document is allowed in this file"));
            }

            return root;
        }

        private ParsingEvent Next()
        {
            if (!parser.MoveNext())
            {
                throw Syntax(file, LastMark, "unexpected end of file");
            }

            LastMark = parser.Current!.Start;
            return parser.Current;
        }

        private void Expect<T>()
            where T : ParsingEvent
        {
            if (Next() is not T)
            {
                throw Syntax(file, LastMark, $"unexpected {parser.Current!.GetType().Name}");
            }
        }

        /// <summary>Reads one value at <paramref name="depth"/> (the root is 1); the recursion is bounded by <see cref="YamlLimits.MaxDepth"/>.</summary>
        private Anchored ReadNode(ParsingEvent current, string path, int depth)
        {
            var location = Locate(file, current.Start);
            if (depth > YamlLimits.MaxDepth)
            {
                throw new InputException(new InputProblem(location, path, $"nested deeper than {YamlLimits.MaxDepth} levels"));
            }

            switch (current)
            {
                case Scalar scalar:
                    return Remember(scalar.Anchor, new Anchored(
                        new YamlScalar(location, path, scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty), 1, 1));
                case AnchorAlias alias:
                    return Expand(alias, location, path, depth);
                case SequenceStart sequence:
                    var items = new List<YamlValue>();
                    long count = 1;
                    var height = 1;
                    while (Next() is not SequenceEnd)
                    {
                        var item = ReadNode(parser.Current!, $"{path}[{items.Count}]", depth + 1);
                        items.Add(item.Value);
                        count += item.Count;
                        height = Math.Max(height, item.Height + 1);
                    }

                    return Remember(sequence.Anchor, new Anchored(new YamlSequence(location, path, items), count, height));
                case MappingStart mapping:
                    return Remember(mapping.Anchor, ReadMapping(location, path, depth));
                default:
                    throw Syntax(file, current.Start, $"unexpected {current.GetType().Name}");
            }
        }

        /// <summary>An alias shares its anchor's value; what it would add to a fully expanded tree is bounded in count and depth.</summary>
        private Anchored Expand(AnchorAlias alias, SourceLocation location, string path, int depth)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new InputException(new InputProblem(location, path, $"unknown alias '*{alias.Value}'"));
            }

            if (depth - 1 + target.Height > YamlLimits.MaxDepth)
            {
                throw new InputException(new InputProblem(location, path,
                    $"nested deeper than {YamlLimits.MaxDepth} levels once alias '*{alias.Value}' is expanded"));
            }

            _aliased += target.Count;
            if (_aliased > YamlLimits.MaxAliasedValues)
            {
                throw new InputException(new InputProblem(location, path,
                    $"aliases expand to more than {YamlLimits.MaxAliasedValues} values (a \"billion laughs\"?); write the values out instead"));
            }

            return target with { Value = target.Value with { Path = path } };
        }

        private Anchored ReadMapping(SourceLocation location, string path, int depth)
        {
            var entries = new List<YamlEntry>();
            var seen = new Dictionary<string, YamlEntry>(StringComparer.Ordinal);
            long count = 1;
            var height = 1;
            while (Next() is not MappingEnd)
            {
                var keyLocation = Locate(file, parser.Current!.Start);
                if (parser.Current is not Scalar key)
                {
                    throw new InputException(new InputProblem(keyLocation, path, "mapping keys must be plain strings"));
                }

                var childPath = ChildPath(path, key.Value);
                if (seen.TryGetValue(key.Value, out var first))
                {
                    throw new InputException(new InputProblem(keyLocation, childPath,
                        $"duplicate key '{key.Value}' (first defined at line {first.KeyLocation.Line})"));
                }

                var value = ReadNode(Next(), childPath, depth + 1);
                var entry = new YamlEntry(key.Value, keyLocation, value.Value);
                seen.Add(key.Value, entry);
                entries.Add(entry);
                count += 1 + value.Count;
                height = Math.Max(height, value.Height + 1);
            }

            return new Anchored(new YamlMapping(location, path, entries), count, height);
        }

        private Anchored Remember(AnchorName anchor, Anchored value)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = value;
            }

            return value;
        }
    }

    /// <summary>A value read, with the number of values and the levels it spans when every alias in it is expanded.</summary>
    private readonly record struct Anchored(YamlValue Value, long Count, int Height);
}

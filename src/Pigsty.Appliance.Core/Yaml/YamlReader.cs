using Pigsty.Appliance.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>Reads one YAML document into <see cref="YamlValue"/>s that remember file, line and path; rejects duplicate keys.</summary>
public static class YamlReader
{
    /// <summary>Reads and parses a YAML file; a missing file is an input error naming it.</summary>
    public static async Task<YamlValue> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputException(path, $"cannot read the file: {e.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses YAML text; <paramref name="file"/> names it in error messages.</summary>
    public static YamlValue Parse(string text, string file)
    {
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

    private sealed class EventReader(IParser parser, string file)
    {
        private readonly Dictionary<string, YamlValue> _anchors = new(StringComparer.Ordinal);

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

            var root = ReadNode(Next(), "");
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

        private YamlValue ReadNode(ParsingEvent current, string path)
        {
            var location = Locate(file, current.Start);
            YamlValue value;
            switch (current)
            {
                case Scalar scalar:
                    value = new YamlScalar(location, path, scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty);
                    return Remember(scalar.Anchor, value);
                case AnchorAlias alias:
                    return _anchors.TryGetValue(alias.Value.Value, out var target)
                        ? target with { Path = path }
                        : throw new InputException(new InputProblem(location, path, $"unknown alias '*{alias.Value}'"));
                case SequenceStart sequence:
                    var items = new List<YamlValue>();
                    while (Next() is not SequenceEnd)
                    {
                        items.Add(ReadNode(parser.Current!, $"{path}[{items.Count}]"));
                    }

                    return Remember(sequence.Anchor, new YamlSequence(location, path, items));
                case MappingStart mapping:
                    return Remember(mapping.Anchor, new YamlMapping(location, path, ReadEntries(path)));
                default:
                    throw Syntax(file, current.Start, $"unexpected {current.GetType().Name}");
            }
        }

        private List<YamlEntry> ReadEntries(string path)
        {
            var entries = new List<YamlEntry>();
            while (Next() is not MappingEnd)
            {
                var keyLocation = Locate(file, parser.Current!.Start);
                if (parser.Current is not Scalar key)
                {
                    throw new InputException(new InputProblem(keyLocation, path, "mapping keys must be plain strings"));
                }

                var childPath = ChildPath(path, key.Value);
                var first = entries.FirstOrDefault(e => e.Key == key.Value);
                if (first is not null)
                {
                    throw new InputException(new InputProblem(keyLocation, childPath,
                        $"duplicate key '{key.Value}' (first defined at line {first.KeyLocation.Line})"));
                }

                entries.Add(new YamlEntry(key.Value, keyLocation, ReadNode(Next(), childPath)));
            }

            return entries;
        }

        private YamlValue Remember(AnchorName anchor, YamlValue value)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = value;
            }

            return value;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text;

namespace Pigsty.Appliance.Repository.Apt;

/// <summary>One deb822 paragraph (a Packages entry, a Release file, a control file): ordered fields, names case-insensitive.</summary>
public sealed class ControlStanza
{
    /// <summary>Fields the index parser notes as present or absent, so that looking up an absent one costs nothing.</summary>
    private static readonly string[] NotedFields = ["Provides", "Depends", "Pre-Depends", "Recommends", "Conflicts", "Breaks", "Essential", "Multi-Arch"];

    private readonly ReadOnlyMemory<char> _raw;
    private readonly uint _noted = uint.MaxValue;
    private List<KeyValuePair<string, string>>? _fields;

    public ControlStanza(IEnumerable<KeyValuePair<string, string>> fields)
    {
        _fields = fields.ToList();
    }

    /// <summary>A paragraph kept as its text (lines already checked by the index parser); fields are split out on first use.</summary>
    /// <param name="noted">One bit per <see cref="NotedFields"/> entry (see <see cref="NotedField"/>), set when the field is present.</param>
    internal ControlStanza(ReadOnlyMemory<char> raw, uint noted)
    {
        _raw = raw;
        _noted = noted;
    }

    /// <summary>The fields in file order; multi-line values keep their continuation lines (without the leading space).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields ??= ParseAll(new StringReader(_raw.ToString())).Single()._fields!;

    /// <summary>The value of a field, or null when absent.</summary>
    public string? this[string name] => _fields is not null
        ? _fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value
        : NotedField(name) is var bit && bit >= 0 && (_noted & (1u << bit)) == 0 ? null : Find(_raw.Span, name);

    /// <summary>The bit the index parser sets for a noted field name, or -1 for other fields.</summary>
    internal static int NotedField(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < NotedFields.Length; i++)
        {
            if (name.Length == NotedFields[i].Length && name.Equals(NotedFields[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy with <paramref name="name"/> set (replaced in place, or appended).</summary>
    public ControlStanza With(string name, string value)
    {
        var fields = Fields.ToList();
        var index = fields.FindIndex(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            fields[index] = new(fields[index].Key, value);
        }
        else
        {
            fields.Add(new(name, value));
        }

        return new ControlStanza(fields);
    }

    /// <summary>A copy without the named fields.</summary>
    public ControlStanza Without(params string[] names) =>
        new(Fields.Where(f => !names.Contains(f.Key, StringComparer.OrdinalIgnoreCase)));

    /// <summary>Writes the paragraph in deb822 form, continuation lines indented by one space, ending with a newline.</summary>
    public void WriteTo(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (name, value) in Fields)
        {
            var lines = value.Split('\n');
            output.Append(name).Append(':');
            if (lines[0].Length > 0)
            {
                output.Append(' ').Append(lines[0]);
            }

            output.Append('\n');
            foreach (var line in lines.Skip(1))
            {
                output.Append(' ').Append(line.Length == 0 ? "." : line).Append('\n');
            }
        }
    }

    /// <summary>Parses every paragraph of a deb822 text; malformed lines raise <see cref="FormatException"/> with their line number.</summary>
    public static IEnumerable<ControlStanza> ParseAll(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<KeyValuePair<string, string>>();
        string? name = null;
        StringBuilder? value = null;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
            {
                Flush();
                if (fields.Count > 0)
                {
                    yield return new ControlStanza(fields);
                    fields = [];
                }

                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (value is null)
                {
                    throw new FormatException($"line {lineNumber}: continuation line without a field");
                }

                var continuation = line[1..];
                value.Append('\n').Append(continuation == "." ? "" : continuation);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"line {lineNumber}: expected 'Field: value', got '{Truncate(line)}'");
            }

            Flush();
            name = line[..colon];
            value = new StringBuilder(line[(colon + 1)..].Trim());
        }

        Flush();
        if (fields.Count > 0)
        {
            yield return new ControlStanza(fields);
        }

        void Flush()
        {
            if (name is not null)
            {
                fields.Add(new(name, value!.ToString()));
                name = null;
                value = null;
            }
        }
    }

    /// <summary>Looks a field up in paragraph text without splitting the other fields out (most packages are never looked at twice).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Find(ReadOnlySpan<char> text, string name)
    {
        // A field starts the paragraph or follows a newline; one vectorised search finds "\nName:" instead of walking every line.
        Span<char> key = stackalloc char[name.Length + 2];
        key[0] = '\n';
        name.AsSpan().CopyTo(key[1..]);
        key[^1] = ':';
        int position;
        if (text.StartsWith(key[1..], StringComparison.OrdinalIgnoreCase))
        {
            position = name.Length + 1;
        }
        else
        {
            var found = text.IndexOf(key, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return null;
            }

            position = found + key.Length;
        }

        var newline = text[position..].IndexOf('\n');
        var end = newline < 0 ? text.Length : position + newline;
        var first = text[position..end].Trim();
        position = end + 1;
        if (position >= text.Length || text[position] is not (' ' or '\t'))
        {
            return first.ToString();
        }

        var value = new StringBuilder().Append(first);
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            newline = text[position..].IndexOf('\n');
            end = newline < 0 ? text.Length : position + newline;
            var continuation = text[(position + 1)..end];
            value.Append('\n');
            if (!continuation.SequenceEqual("."))
            {
                value.Append(continuation);
            }

            position = end + 1;
        }

        return value.ToString();
    }

    private static string Truncate(string line) => line.Length <= 60 ? line : line[..60] + "…";
}

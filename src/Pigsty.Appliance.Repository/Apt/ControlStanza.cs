using System.Text;

namespace Pigsty.Appliance.Repository.Apt;

/// <summary>One deb822 paragraph (a Packages entry, a Release file, a control file): ordered fields, names case-insensitive.</summary>
public sealed class ControlStanza
{
    private readonly List<KeyValuePair<string, string>> _fields;

    public ControlStanza(IEnumerable<KeyValuePair<string, string>> fields)
    {
        _fields = fields.ToList();
    }

    /// <summary>The fields in file order; multi-line values keep their continuation lines (without the leading space).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    /// <summary>The value of a field, or null when absent.</summary>
    public string? this[string name] => _fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

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

    private static string Truncate(string line) => line.Length <= 60 ? line : line[..60] + "…";
}

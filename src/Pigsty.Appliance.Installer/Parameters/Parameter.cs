using System.Globalization;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Parameters;

/// <summary>
/// One inventory parameter: its name (or a pattern with one <c>*</c>), the module it belongs to, what the appliance does with it and
/// why. <see cref="HonouredWhen"/> lists the values (YAML spellings) that need no support, e.g. <c>false</c> for a switch we lack.
/// </summary>
public sealed record Parameter(string Module, string Name, ParameterStatus Status, string Note, IReadOnlyList<string> HonouredWhen)
{
    /// <summary>True when this entry is a pattern (e.g. <c>ansible_*</c>) rather than one name.</summary>
    public bool IsPattern => Name.Contains('*', StringComparison.Ordinal);

    /// <summary>True when <paramref name="name"/> is this parameter (or matches its pattern).</summary>
    public bool Matches(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsPattern)
        {
            return name == Name;
        }

        var star = Name.IndexOf('*', StringComparison.Ordinal);
        var (head, tail) = (Name[..star], Name[(star + 1)..]);
        return name.Length > head.Length + tail.Length && name.StartsWith(head, StringComparison.Ordinal) && name.EndsWith(tail, StringComparison.Ordinal);
    }

    /// <summary>The status for this value: a value listed in <see cref="HonouredWhen"/> asks for nothing the appliance lacks.</summary>
    public ParameterStatus StatusFor(YamlValue value) =>
        Status != ParameterStatus.Honoured && HonouredWhen.Any(v => Same(value, v)) ? ParameterStatus.Honoured : Status;

    /// <summary>
    /// A value equals a spelling by meaning: booleans and numbers as such, <c>''</c>, <c>[]</c> and <c>{}</c> for empty (or null),
    /// <c>{only:a,b}</c> for a mapping with no keys but those.
    /// </summary>
    private static bool Same(YamlValue value, string spelling) => (value, spelling) switch
    {
        (YamlScalar { IsNull: true }, "''" or "[]" or "{}") => true,
        (YamlScalar s, "''") => s.Text.Length == 0,
        (YamlSequence q, "[]") => q.Items.Count == 0,
        (YamlMapping m, "{}") => m.Entries.Count == 0,
        (YamlMapping m, _) when spelling.StartsWith("{only:", StringComparison.Ordinal) =>
            m.Entries.All(e => spelling[6..^1].Split(',').Contains(e.Key, StringComparer.Ordinal)),
        (YamlScalar s, "true" or "false") => s.TryBool(out var b) && b == (spelling == "true"),
        (YamlScalar s, _) when double.TryParse(spelling, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
            double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var given) && given == number,
        (YamlScalar { IsNull: false } s, _) => s.Text == spelling,
        _ => false,
    };
}

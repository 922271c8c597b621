namespace Pigsty.Appliance.Core.Yaml;

/// <summary>Structural rewrites of a parsed YAML tree (locations are kept, so errors still point at the user's file).</summary>
public static class YamlRewriter
{
    /// <summary>Replaces every scalar and mapping key equal to <paramref name="from"/> with <paramref name="to"/>.</summary>
    public static YamlValue ReplaceText(YamlValue value, string from, string to) => value switch
    {
        YamlScalar scalar when scalar.Text == from => scalar with { Text = to },
        YamlMapping mapping => mapping with
        {
            Entries = mapping.Entries
                .Select(e => new YamlEntry(e.Key == from ? to : e.Key, e.KeyLocation, ReplaceText(e.Value, from, to)))
                .ToList(),
        },
        YamlSequence sequence => sequence with { Items = sequence.Items.Select(i => ReplaceText(i, from, to)).ToList() },
        _ => value,
    };
}

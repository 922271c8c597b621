using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>A YAML mapping with string keys, in file order; keys are unique (the loader rejects duplicates).</summary>
public sealed record YamlMapping(SourceLocation Location, string Path, IReadOnlyList<YamlEntry> Entries)
    : YamlValue(Location, Path)
{
    public override string Kind => "a mapping";

    /// <summary>The value under <paramref name="key"/>, or null when absent.</summary>
    public YamlValue? Find(string key) => Entries.FirstOrDefault(e => e.Key == key)?.Value;
}

using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>A YAML sequence.</summary>
public sealed record YamlSequence(SourceLocation Location, string Path, IReadOnlyList<YamlValue> Items)
    : YamlValue(Location, Path)
{
    public override string Kind => "a list";
}

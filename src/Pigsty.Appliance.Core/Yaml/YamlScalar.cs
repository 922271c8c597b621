using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>A YAML scalar; <see cref="IsPlain"/> is false when it was quoted, which makes it a string.</summary>
public sealed record YamlScalar(SourceLocation Location, string Path, string Text, bool IsPlain)
    : YamlValue(Location, Path)
{
    private static readonly string[] NullSpellings = ["", "~", "null", "Null", "NULL"];
    private static readonly string[] TrueSpellings = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"];
    private static readonly string[] FalseSpellings = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"];

    /// <summary>True for an unquoted empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && NullSpellings.Contains(Text);

    public override string Kind => IsNull ? "null" : IsPlain ? $"'{Text}'" : $"string '{Text}'";

    /// <summary>Reads a YAML 1.1 boolean.</summary>
    public bool TryBool(out bool value)
    {
        value = TrueSpellings.Contains(Text);
        return value || FalseSpellings.Contains(Text);
    }
}

using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>A YAML value from a user's file (inventory, recipe, image definition), with its file, line and path from the root.</summary>
public abstract record YamlValue(SourceLocation Location, string Path)
{
    /// <summary>A short name for the kind of value, used in "expected X, got Y" messages.</summary>
    public abstract string Kind { get; }

    /// <summary>An input error pointing at this value.</summary>
    public InputException Error(string message) => new(new InputProblem(Location, Path, message));

    /// <summary>This value as a scalar string; any non-null scalar qualifies (as in Ansible).</summary>
    public string AsString() => this is YamlScalar { IsNull: false } scalar
        ? scalar.Text
        : throw Error($"expected a string, got {Kind}");

    /// <summary>This value as an integer; only an unquoted integer qualifies.</summary>
    public int AsInt() => this is YamlScalar { IsPlain: true } scalar && int.TryParse(scalar.Text,
        System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
        ? value
        : throw Error($"expected an integer, got {Kind}");

    /// <summary>This value as a boolean (YAML 1.1 spellings: true/false, yes/no, on/off).</summary>
    public bool AsBool() => this is YamlScalar { IsPlain: true } scalar && scalar.TryBool(out var value)
        ? value
        : throw Error($"expected true or false, got {Kind}");

    /// <summary>This value as a mapping.</summary>
    public YamlMapping AsMapping() => this as YamlMapping ?? throw Error($"expected a mapping, got {Kind}");

    /// <summary>This value as a sequence.</summary>
    public YamlSequence AsSequence() => this as YamlSequence ?? throw Error($"expected a list, got {Kind}");
}

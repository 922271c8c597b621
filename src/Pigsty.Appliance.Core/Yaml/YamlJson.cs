using System.Globalization;
using System.Text.Json.Nodes;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>A YAML value as JSON, typed as YAML 1.1 reads plain scalars (null, booleans, integers, floats) and quoted ones as strings.</summary>
public static class YamlJson
{
    /// <summary>The value as a JSON node (null for a YAML null).</summary>
    public static JsonNode? ToNode(YamlValue value) => value switch
    {
        YamlMapping mapping => new JsonObject(mapping.Entries.Select(e => KeyValuePair.Create(e.Key, ToNode(e.Value)))),
        YamlSequence sequence => new JsonArray(sequence.Items.Select(ToNode).ToArray()),
        YamlScalar { IsNull: true } => null,
        YamlScalar { IsPlain: true } scalar when scalar.TryBool(out var flag) => JsonValue.Create(flag),
        YamlScalar { IsPlain: true } scalar when long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalar { IsPlain: true } scalar when scalar.Text.Any(char.IsAsciiDigit) && !scalar.Text.Contains(':', StringComparison.Ordinal)
            && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) => JsonValue.Create(real),
        YamlScalar scalar => JsonValue.Create(scalar.Text),
        _ => throw new ArgumentException($"unknown YAML value {value?.GetType().Name}", nameof(value)),
    };

    /// <summary>The value as one line of JSON.</summary>
    public static string Compact(YamlValue value) => ToNode(value)?.ToJsonString() ?? "null";
}

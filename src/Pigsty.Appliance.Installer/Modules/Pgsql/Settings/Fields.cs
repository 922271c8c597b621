using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>Typed reads of optional fields in inventory mappings; a wrong type is an input error at the field.</summary>
internal static class Fields
{
    public static string Name(YamlMapping map) =>
        map.Find("name")?.AsString() ?? throw map.Error("missing 'name'");

    public static string? String(YamlMapping map, string key) => map.Find(key) is { } v && v is not YamlScalar { IsNull: true } ? v.AsString() : null;

    public static bool? Bool(YamlMapping map, string key) => map.Find(key) is { } v && v is not YamlScalar { IsNull: true } ? v.AsBool() : null;

    public static int? Int(YamlMapping map, string key) => map.Find(key) is { } v && v is not YamlScalar { IsNull: true } ? v.AsInt() : null;

    public static IReadOnlyList<string> Strings(YamlMapping map, string key) =>
        map.Find(key) is YamlSequence list ? list.Items.Select(i => i.AsString()).ToList()
        : map.Find(key) is { } other && other is not YamlScalar { IsNull: true } ? throw other.Error($"expected a list, got {other.Kind}")
        : [];

    public static IReadOnlyList<(string Name, string Value)> Pairs(YamlMapping map, string key) =>
        map.Find(key) is YamlMapping pairs ? pairs.Entries.Select(e => (e.Key, e.Value.AsString())).ToList() : [];

    public static string? PoolMode(YamlMapping map, string key) => String(map, key) switch
    {
        null => null,
        "transaction" or "session" or "statement" => String(map, key),
        var other => throw map.Find(key)!.Error($"unknown pool mode '{other}' (expected transaction, session or statement)"),
    };
}

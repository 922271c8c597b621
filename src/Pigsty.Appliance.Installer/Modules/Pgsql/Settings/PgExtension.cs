using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>An extension of a database, optionally in a schema; <see cref="Absent"/> drops it (<c>state: absent</c>).</summary>
public sealed record PgExtension(string Name, string? Schema)
{
    public bool Absent { get; init; }

    /// <summary>A name, or <c>{ name, schema, state }</c>.</summary>
    public static PgExtension Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value is YamlMapping map
            ? new PgExtension(Fields.Name(map), Fields.String(map, "schema")) { Absent = Fields.String(map, "state") == "absent" }
            : new PgExtension(value.AsString(), null);
    }
}

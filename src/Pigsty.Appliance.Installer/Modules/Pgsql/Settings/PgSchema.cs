using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>A schema of <c>pg_default_schemas</c>: a name, or <c>{ name, owner, state }</c> (<c>absent</c> drops it).</summary>
public sealed record PgSchema(string Name, string? Owner, bool Absent)
{
    public static PgSchema Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value is YamlMapping map
            ? new PgSchema(Fields.Name(map), Fields.String(map, "owner"), Fields.String(map, "state") == "absent")
            : new PgSchema(value.AsString(), null, false);
    }
}

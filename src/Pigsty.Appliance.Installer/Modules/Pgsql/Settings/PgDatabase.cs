using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>A database from <c>pg_databases</c>, with Pigsty's field names.</summary>
public sealed record PgDatabase(string Name)
{
    public string? Owner { get; init; }

    public string? Comment { get; init; }

    public IReadOnlyList<string> Schemas { get; init; } = [];

    public IReadOnlyList<PgExtension> Extensions { get; init; } = [];

    /// <summary><c>state</c>: create (default), absent (dropped) or recreate (dropped, then created empty).</summary>
    public string State { get; init; } = "create";

    /// <summary>True for <c>state: absent</c>.</summary>
    public bool Absent => State == "absent";

    /// <summary>Listed in pgbouncer's databases (true unless <c>pgbouncer: false</c>).</summary>
    public bool Pgbouncer { get; init; } = true;

    public string? PoolMode { get; init; }

    /// <summary>Reads one entry of a <c>pg_databases</c> list; extensions are names or <c>{name, schema}</c>.</summary>
    public static PgDatabase Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = value.AsMapping();
        var extensions = (map.Find("extensions")?.AsSequence().Items ?? []).Select(PgExtension.Parse).ToList();
        var state = Fields.String(map, "state") ?? "create";
        if (state is not ("create" or "absent" or "recreate"))
        {
            throw map.Find("state")!.Error($"unknown state '{state}' (expected create, absent or recreate)");
        }

        return new PgDatabase(Fields.Name(map))
        {
            State = state,
            Owner = Fields.String(map, "owner"),
            Comment = Fields.String(map, "comment"),
            Schemas = Fields.Strings(map, "schemas"),
            Extensions = extensions,
            Pgbouncer = Fields.Bool(map, "pgbouncer") ?? true,
            PoolMode = Fields.PoolMode(map, "pool_mode"),
        };
    }
}

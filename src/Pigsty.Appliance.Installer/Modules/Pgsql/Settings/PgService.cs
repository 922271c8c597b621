using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>
/// An entry of <c>pg_default_services</c> or <c>pg_services</c> with Pigsty's fields: <c>name</c> and <c>port</c> (required),
/// <c>ip</c> (<c>*</c>), <c>selector</c> (<c>[]</c>), <c>backup</c>, <c>dest</c> (<c>default</c>, <c>postgres</c>, <c>pgbouncer</c> or a
/// port), <c>check</c> (<c>/</c>), <c>maxconn</c> (5000), <c>balance</c> (roundrobin) and <c>options</c> (the default-server line).
/// </summary>
public sealed partial record PgService(string Name, int Port, string Ip, ServiceSelector Selector, ServiceSelector Backup, string Dest, string Check,
    int MaxConn, string Balance, string? Options)
{
    /// <summary>Pigsty's <c>pg_default_services</c>.</summary>
    public static IReadOnlyList<PgService> Defaults { get; } =
    [
        Of("primary", 5433, "default", "/primary", "[]", null),
        Of("replica", 5434, "default", "/read-only", "[]", "[? pg_role == `primary` || pg_role == `offline` ]"),
        Of("default", 5436, "postgres", "/primary", "[]", null),
        Of("offline", 5438, "postgres", "/replica", "[? pg_role == `offline` || pg_offline_query ]", "[? pg_role == `replica` && !pg_offline_query]"),
    ];

    /// <summary>The services the variables define: <c>pg_default_services</c> (Pigsty's four when not set), then <c>pg_services</c>.</summary>
    public static IReadOnlyList<PgService> Of(Core.Inventory.VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        IReadOnlyList<PgService> List(string name) => vars.Find(name) is { } value ? value.AsSequence().Items.Select(Parse).ToList() : [];
        return [.. vars.Find("pg_default_services") is not null ? List("pg_default_services") : Defaults, .. List("pg_services")];
    }

    /// <summary>Reads one entry; every field is checked where it is written.</summary>
    public static PgService Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = value.AsMapping();
        var name = Fields.Name(map);
        if (!ServiceName().IsMatch(name))
        {
            throw map.Find("name")!.Error($"'{name}' is not a valid service name (letters, digits, '-' and '_')");
        }

        var port = (map.Find("port") ?? throw map.Error($"service '{name}' needs a port")).AsInt();
        if (port is < 1 or > 65535)
        {
            throw map.Find("port")!.Error($"port {port} is out of range");
        }

        var dest = map.Find("dest") is { } d && d is not YamlScalar { IsNull: true } ? d.AsString() : "default";
        if (dest is not ("default" or "postgres" or "pgbouncer") && !(int.TryParse(dest, out var p) && p is > 0 and < 65536))
        {
            throw map.Find("dest")!.Error($"dest '{dest}' is not default, postgres, pgbouncer or a port");
        }

        return new PgService(
            name,
            port,
            Fields.String(map, "ip") ?? "*",
            map.Find("selector") is { } selector ? ServiceSelector.Parse(selector) : ServiceSelector.All,
            map.Find("backup") is { } backup && backup is not YamlScalar { IsNull: true } ? ServiceSelector.Parse(backup) : ServiceSelector.None,
            dest,
            Fields.String(map, "check") ?? "/",
            Fields.Int(map, "maxconn") ?? 5000,
            Fields.String(map, "balance") ?? "roundrobin",
            Fields.String(map, "options"));
    }

    private static PgService Of(string name, int port, string dest, string check, string selector, string? backup) =>
        new(name, port, "*", Pigsty(selector), backup is null ? ServiceSelector.None : Pigsty(backup), dest, check, 5000, "roundrobin", null);

    private static ServiceSelector Pigsty(string text) =>
        ServiceSelector.Parse(new YamlScalar(new Core.Errors.SourceLocation("pg_default_services", 0, 0), "pg_default_services", text, IsPlain: false));

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ServiceName();
}

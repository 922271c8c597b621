using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>A role from <c>pg_default_roles</c> or <c>pg_users</c>, with Pigsty's field names.</summary>
public sealed record PgUser(string Name)
{
    /// <summary>Plain text or a SCRAM/MD5 verifier as given; null means no password (unless <see cref="PasswordSecret"/> names one).</summary>
    public string? Password { get; init; }

    /// <summary>For the default roles: the secret that holds the password (e.g. <c>pg_admin_password</c>).</summary>
    public string? PasswordSecret { get; init; }

    public bool Login { get; init; } = true;

    public bool Superuser { get; init; }

    public bool CreateDb { get; init; }

    public bool CreateRole { get; init; }

    public bool Replication { get; init; }

    public bool BypassRls { get; init; }

    public int? ConnectionLimit { get; init; }

    public string? Comment { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<(string Name, string Value)> Parameters { get; init; } = [];

    /// <summary><c>state: absent</c>: the role is dropped (its objects reassigned to the dbsu), not created.</summary>
    public bool Absent { get; init; }

    /// <summary>Listed in pgbouncer's user list (needs a password).</summary>
    public bool Pgbouncer { get; init; }

    public string? PoolMode { get; init; }

    public int? PoolConnectionLimit { get; init; }

    /// <summary>The credentials.yml name of a generated password for a <c>pg_users</c> entry without one.</summary>
    public static string GeneratedSecretName(string user) => $"pg_user_{user}_password";

    /// <summary>Reads one entry of a <c>pg_users</c> list; a login user without a password gets a generated one (no well-known defaults).</summary>
    public static PgUser Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = value.AsMapping();
        var name = Fields.Name(map);
        var password = Fields.String(map, "password");
        var login = Fields.Bool(map, "login") ?? true;
        var absent = Fields.String(map, "state") switch
        {
            null or "create" => false,
            "absent" => true,
            var other => throw map.Find("state")!.Error($"unknown state '{other}' (expected create or absent)"),
        };
        return new PgUser(name)
        {
            Absent = absent,
            Password = password,
            PasswordSecret = password is null && login ? GeneratedSecretName(name) : null,
            Login = login,
            Superuser = Fields.Bool(map, "superuser") ?? false,
            CreateDb = Fields.Bool(map, "createdb") ?? false,
            CreateRole = Fields.Bool(map, "createrole") ?? false,
            Replication = Fields.Bool(map, "replication") ?? false,
            BypassRls = Fields.Bool(map, "bypassrls") ?? false,
            ConnectionLimit = Fields.Int(map, "connlimit"),
            Comment = Fields.String(map, "comment"),
            Roles = Fields.Strings(map, "roles"),
            Parameters = Fields.Pairs(map, "parameters"),
            Pgbouncer = Fields.Bool(map, "pgbouncer") ?? false,
            PoolMode = Fields.PoolMode(map, "pool_mode"),
            PoolConnectionLimit = Fields.Int(map, "pool_connlimit"),
        };
    }
}

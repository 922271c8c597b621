using System.Text;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>Idempotent psql scripts for the primary: roles (<c>pg_default_roles</c> + <c>pg_users</c>) and databases (<c>pg_databases</c>).</summary>
public static partial class SqlRenderer
{
    /// <summary>Pigsty's <c>pg_default_privileges</c>, granted for objects the dbsu, the admin user and each database owner create.</summary>
    public static readonly IReadOnlyList<string> DefaultPrivileges =
    [
        "GRANT USAGE ON SCHEMAS TO dbrole_readonly",
        "GRANT SELECT ON TABLES TO dbrole_readonly",
        "GRANT SELECT ON SEQUENCES TO dbrole_readonly",
        "GRANT EXECUTE ON FUNCTIONS TO dbrole_readonly",
        "GRANT USAGE ON SCHEMAS TO dbrole_offline",
        "GRANT SELECT ON TABLES TO dbrole_offline",
        "GRANT SELECT ON SEQUENCES TO dbrole_offline",
        "GRANT EXECUTE ON FUNCTIONS TO dbrole_offline",
        "GRANT INSERT ON TABLES TO dbrole_readwrite",
        "GRANT UPDATE ON TABLES TO dbrole_readwrite",
        "GRANT DELETE ON TABLES TO dbrole_readwrite",
        "GRANT USAGE ON SEQUENCES TO dbrole_readwrite",
        "GRANT UPDATE ON SEQUENCES TO dbrole_readwrite",
        "GRANT TRUNCATE ON TABLES TO dbrole_admin",
        "GRANT REFERENCES ON TABLES TO dbrole_admin",
        "GRANT TRIGGER ON TABLES TO dbrole_admin",
        "GRANT CREATE ON SCHEMAS TO dbrole_admin",
    ];

    /// <summary>
    /// Creates missing roles, then sets every attribute, password, comment, membership and parameter (safe to run again).
    /// Passwords are given as <paramref name="verifiers"/> (by role name): the script never holds a password, only what
    /// PostgreSQL stores, and it keeps even those out of pg_stat_statements and the server log.
    /// </summary>
    public static string Roles(PgsqlSettings settings, IReadOnlyDictionary<string, string> verifiers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(verifiers);
        var sql = Header(settings, "roles");

        // pg_stat_statements keeps utility statements with their literals (PostgreSQL 15 does not normalise them), where every
        // pg_monitor member reads them; a slow or failing statement would reach the log despite log_statement. All superuser-only.
        sql.Append("SET pg_stat_statements.track_utility = off;\n");
        sql.Append("SET log_min_duration_statement = -1;\n");
        sql.Append("SET log_min_error_statement = panic;\n");
        sql.Append("SET password_encryption = 'scram-sha-256';\n");
        foreach (var user in settings.Users)
        {
            sql.Append($"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(user.Name)}) THEN CREATE ROLE {Id(user.Name)}; END IF; END $$;\n");
        }

        foreach (var user in settings.Users)
        {
            sql.Append("\n-- ").Append(user.Name).Append('\n');
            sql.Append("ALTER ROLE ").Append(Id(user.Name)).Append(' ')
                .Append(user.Login ? "LOGIN" : "NOLOGIN").Append(' ')
                .Append(user.Superuser ? "SUPERUSER" : "NOSUPERUSER").Append(' ')
                .Append(user.CreateDb ? "CREATEDB" : "NOCREATEDB").Append(' ')
                .Append(user.CreateRole ? "CREATEROLE" : "NOCREATEROLE").Append(' ')
                .Append(user.Replication ? "REPLICATION" : "NOREPLICATION").Append(' ')
                .Append(user.BypassRls ? "BYPASSRLS" : "NOBYPASSRLS")
                .Append(" CONNECTION LIMIT ").Append(user.ConnectionLimit ?? -1).Append(";\n");
            if (verifiers.TryGetValue(user.Name, out var verifier))
            {
                sql.Append("ALTER ROLE ").Append(Id(user.Name)).Append(" PASSWORD ").Append(Literal(Verifier(user.Name, verifier))).Append(";\n");
            }

            if (user.Comment is { } comment)
            {
                sql.Append("COMMENT ON ROLE ").Append(Id(user.Name)).Append(" IS ").Append(Literal(comment)).Append(";\n");
            }

            foreach (var role in user.Roles)
            {
                sql.Append("GRANT ").Append(Id(role)).Append(" TO ").Append(Id(user.Name)).Append(";\n");
            }

            foreach (var (parameter, value) in user.Parameters)
            {
                sql.Append("ALTER ROLE ").Append(Id(user.Name)).Append(" SET ").Append(Parameter(parameter)).Append(" = ").Append(Literal(value)).Append(";\n");
            }
        }

        return sql.ToString();
    }

    private static string Verifier(string user, string verifier) => ScramVerifier.IsVerifier(verifier)
        ? verifier
        : throw new ArgumentException($"the password of {user} reached the roles script as something other than a verifier", nameof(verifier));

    /// <summary>Creates missing databases, sets owner and comment, then in each: schemas, extensions, default privileges.</summary>
    public static string Databases(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sql = Header(settings, "databases");

        // Pigsty's template: what every database gets, set in template1 (so databases created from it inherit it) and in postgres.
        foreach (var template in new[] { "template1", "postgres" })
        {
            sql.Append("\n-- ").Append(template).Append(": pg_default_privileges, pg_default_schemas, pg_default_extensions\n");
            sql.Append("\\connect ").Append(template).Append('\n');
            sql.Append("SET log_statement = 'none';\n");
            foreach (var creator in new[] { settings.Dbsu, settings.AdminUser, "dbrole_admin" }.Distinct(StringComparer.Ordinal))
            {
                foreach (var privilege in settings.DefaultPrivileges)
                {
                    sql.Append("ALTER DEFAULT PRIVILEGES FOR ROLE ").Append(Id(creator)).Append(' ').Append(privilege).Append(";\n");
                }
            }

            foreach (var schema in settings.DefaultSchemas)
            {
                sql.Append(schema.Absent ? $"DROP SCHEMA IF EXISTS {Id(schema.Name)} CASCADE;\n"
                    : $"CREATE SCHEMA IF NOT EXISTS {Id(schema.Name)}{(schema.Owner is { } o ? " AUTHORIZATION " + Id(o) : "")};\n");
            }

            sql.Append("REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n");
            foreach (var extension in settings.DefaultExtensions)
            {
                sql.Append(extension.Absent ? $"DROP EXTENSION IF EXISTS {Id(extension.Name)} CASCADE;\n"
                    : $"CREATE EXTENSION IF NOT EXISTS {Id(extension.Name)}{(extension.Schema is { } e ? " WITH SCHEMA " + Id(e) : "")} CASCADE;\n");
            }

            if (settings.DefaultSchemas.Any(s => s.Name == "monitor" && !s.Absent))
            {
                sql.Append("GRANT USAGE ON SCHEMA monitor TO ").Append(Id(settings.MonitorUser)).Append(", ").Append(Id(settings.AdminUser))
                    .Append(", ").Append(Id(settings.ReplicationUser)).Append(";\n");
            }
        }

        if (settings.DefaultSchemas.Any(s => s.Name == "monitor" && !s.Absent))
        {
            sql.Append("ALTER ROLE ").Append(Id(settings.MonitorUser)).Append(" SET search_path TO monitor, public;\n");
        }

        sql.Append("\\connect postgres\n");
        foreach (var database in settings.Databases)
        {
            var owner = database.Owner ?? settings.Dbsu;
            sql.Append("\n-- ").Append(database.Name).Append(database.State == "recreate" ? " (recreate: dropped by pgsql.drop, created empty here)" : "").Append('\n');
            sql.Append("SELECT format('CREATE DATABASE %I OWNER %I', ").Append(Literal(database.Name)).Append(", ").Append(Literal(owner))
                .Append(") WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ").Append(Literal(database.Name)).Append(")\\gexec\n");
            sql.Append("ALTER DATABASE ").Append(Id(database.Name)).Append(" OWNER TO ").Append(Id(owner)).Append(";\n");
            if (database.Comment is { } comment)
            {
                sql.Append("COMMENT ON DATABASE ").Append(Id(database.Name)).Append(" IS ").Append(Literal(comment)).Append(";\n");
            }

            sql.Append("\\connect ").Append(Id(database.Name)).Append('\n');
            sql.Append("SET log_statement = 'none';\n");
            foreach (var schema in database.Schemas.Concat(database.Extensions.Select(e => e.Schema).OfType<string>()).Distinct(StringComparer.Ordinal))
            {
                sql.Append("CREATE SCHEMA IF NOT EXISTS ").Append(Id(schema)).Append(";\n");
            }

            foreach (var extension in database.Extensions)
            {
                sql.Append(extension.Absent ? $"DROP EXTENSION IF EXISTS {Id(extension.Name)} CASCADE;\n"
                    : $"CREATE EXTENSION IF NOT EXISTS {Id(extension.Name)}{(extension.Schema is { } schema ? " WITH SCHEMA " + Id(schema) : "")} CASCADE;\n");
            }

            foreach (var creator in new[] { settings.Dbsu, settings.AdminUser, owner }.Distinct(StringComparer.Ordinal))
            {
                foreach (var privilege in settings.DefaultPrivileges)
                {
                    sql.Append("ALTER DEFAULT PRIVILEGES FOR ROLE ").Append(Id(creator)).Append(' ').Append(privilege).Append(";\n");
                }
            }

            sql.Append("\\connect postgres\n");
        }

        return sql.ToString();
    }

    /// <summary>
    /// What runs in the postgres database before the roles go: databases with <c>state: absent</c> or <c>recreate</c> dropped
    /// (sessions ended, as Pigsty's DROP DATABASE … WITH (FORCE) does), and each role with <c>state: absent</c> locked out and its
    /// sessions ended, so nothing new appears while its objects are reassigned.
    /// </summary>
    public static string DropsBefore(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sql = Header(settings, "drops (state: absent, recreate)");
        foreach (var database in settings.DroppedDatabases)
        {
            sql.Append("DROP DATABASE IF EXISTS ").Append(Id(database)).Append(" WITH (FORCE);\n");
        }

        foreach (var user in settings.DroppedUsers)
        {
            sql.Append("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = ").Append(Literal(user)).Append(") THEN ")
                .Append("ALTER ROLE ").Append(Id(user)).Append(" NOLOGIN; ")
                .Append("PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ").Append(Literal(user)).Append("; END IF; END $$;\n");
        }

        return sql.ToString();
    }

    /// <summary>Runs in every database: what each dropped role owns goes to the dbsu, then its privileges and grants go (DROP OWNED).</summary>
    public static string DropOwned(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sql = new StringBuilder("SET log_statement = 'none';\n");
        foreach (var user in settings.DroppedUsers)
        {
            sql.Append("DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = ").Append(Literal(user)).Append(") THEN ")
                .Append("EXECUTE ").Append(Literal($"REASSIGN OWNED BY {Id(user)} TO {Id(settings.Dbsu)}")).Append("; ")
                .Append("EXECUTE ").Append(Literal($"DROP OWNED BY {Id(user)}")).Append("; END IF; END $$;\n");
        }

        return sql.ToString();
    }

    /// <summary>Last, in the postgres database: the roles themselves (memberships go with them).</summary>
    public static string DropRoles(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sql = new StringBuilder("SET log_statement = 'none';\n");
        foreach (var user in settings.DroppedUsers)
        {
            sql.Append("DROP ROLE IF EXISTS ").Append(Id(user)).Append(";\n");
        }

        return sql.ToString();
    }

    private static StringBuilder Header(PgsqlSettings settings, string what) => new StringBuilder()
        .Append("-- ").Append(what).Append(" of PostgreSQL cluster ").Append(settings.Cluster)
        .Append(", written by pigsty-appliance: idempotent, run by the dbsu on the primary\n")
        .Append("-- statements are not logged: nothing this script sets belongs in the server log\n")
        .Append("SET log_statement = 'none';\n");

    /// <summary>A quoted identifier.</summary>
    public static string Id(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A string literal (standard_conforming_strings is on in PostgreSQL 15).</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static string Parameter(string name) =>
        ParameterName().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a PostgreSQL parameter name", nameof(name));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]*$")]
    private static partial Regex ParameterName();
}

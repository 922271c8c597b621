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
        foreach (var database in settings.Databases)
        {
            var owner = database.Owner ?? settings.Dbsu;
            sql.Append("\n-- ").Append(database.Name).Append('\n');
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
                sql.Append("CREATE EXTENSION IF NOT EXISTS ").Append(Id(extension.Name))
                    .Append(extension.Schema is { } schema ? " WITH SCHEMA " + Id(schema) : "").Append(" CASCADE;\n");
            }

            foreach (var creator in new[] { settings.Dbsu, settings.AdminUser, owner }.Distinct(StringComparer.Ordinal))
            {
                foreach (var privilege in DefaultPrivileges)
                {
                    sql.Append("ALTER DEFAULT PRIVILEGES FOR ROLE ").Append(Id(creator)).Append(' ').Append(privilege).Append(";\n");
                }
            }

            sql.Append("\\connect postgres\n");
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

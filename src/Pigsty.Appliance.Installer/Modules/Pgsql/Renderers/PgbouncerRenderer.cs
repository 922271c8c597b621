using System.Text;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>pgbouncer's files under /etc/pgbouncer: main config, databases, per-user options and the user list.</summary>
public static class PgbouncerRenderer
{
    public const string IniPath = PgsqlSettings.PgbouncerDir + "/pgbouncer.ini";
    public const string DatabasesPath = PgsqlSettings.PgbouncerDir + "/database.txt";
    public const string UserOptionsPath = PgsqlSettings.PgbouncerDir + "/useropts.txt";
    public const string UserListPath = PgsqlSettings.PgbouncerDir + "/userlist.txt";
    public const string HbaPath = PgsqlSettings.PgbouncerDir + "/pgb_hba.conf";

    /// <summary>pgbouncer.ini: <c>pgbouncer_poolmode</c> pooling on <c>pgbouncer_port</c>, hba authentication from pgb_hba.conf.</summary>
    public static string Ini(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder($"; pgbouncer for {settings.Self.Name}, written by pigsty-appliance\n");
        text.Append("[users]\n%include ").Append(UserOptionsPath).Append("\n\n[databases]\n%include ").Append(DatabasesPath).Append("\n\n[pgbouncer]\n");
        Set(text, "pool_mode", settings.PoolMode);
        Set(text, "listen_addr", "*");
        Set(text, "listen_port", settings.PgbouncerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set(text, "unix_socket_dir", PgsqlSettings.SocketDir);
        Set(text, "auth_type", "hba");
        Set(text, "auth_file", UserListPath);
        Set(text, "auth_hba_file", HbaPath);
        Set(text, "admin_users", $"{settings.Dbsu}, {settings.AdminUser}");
        Set(text, "stats_users", $"{settings.Dbsu}, {settings.MonitorUser}");
        Set(text, "logfile", $"{settings.LogDir}/pgbouncer/pgbouncer.log");
        Set(text, "server_reset_query", "");
        Set(text, "application_name_add_host", "1");
        Set(text, "max_client_conn", "20000");
        Set(text, "default_pool_size", "32");
        Set(text, "reserve_pool_size", "32");
        Set(text, "reserve_pool_timeout", "1");
        Set(text, "server_lifetime", "600");
        Set(text, "max_db_connections", "100");
        Set(text, "max_user_connections", "100");
        Set(text, "ignore_startup_parameters", "extra_float_digits");
        return text.ToString();
    }

    /// <summary>database.txt: every database of <c>pg_databases</c> routed to the local PostgreSQL over its Unix socket.</summary>
    public static string Databases(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder("; databases served by pgbouncer (pg_databases with pgbouncer != false)\n");
        foreach (var database in settings.Databases.Where(d => d.Pgbouncer))
        {
            text.Append(database.Name).Append(" = host=").Append(PgsqlSettings.SocketDir).Append(" port=").Append(settings.Port)
                .Append(" dbname=").Append(database.Name);
            if (database.PoolMode is { } mode)
            {
                text.Append(" pool_mode=").Append(mode);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>useropts.txt: per-user pool mode and connection limit.</summary>
    public static string UserOptions(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder("; per-user pool settings (pool_mode, pool_connlimit of pg_users)\n");
        foreach (var user in PooledUsers(settings).Where(u => u.PoolMode is not null || u.PoolConnectionLimit is not null))
        {
            text.Append(user.Name).Append(" =");
            if (user.PoolMode is { } mode)
            {
                text.Append(" pool_mode=").Append(mode);
            }

            if (user.PoolConnectionLimit is { } limit)
            {
                text.Append(" max_user_connections=").Append(limit);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>userlist.txt: users with <c>pgbouncer: true</c> and a password, as given (plain text or a SCRAM/MD5 verifier).</summary>
    public static string UserList(PgsqlSettings settings, PgSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(secrets);
        // The dbsu is listed without a password: pgbouncer (<= 1.18) rejects a peer login to its admin console from a
        // user it does not know, and an empty password can never pass a password method, so peer is its only way in.
        var text = new StringBuilder().Append('"').Append(Escape(settings.Dbsu)).Append("\" \"\"\n");
        foreach (var user in PooledUsers(settings).Where(u => u.Name != settings.Dbsu))
        {
            if ((user.Password ?? (user.PasswordSecret is { } name ? secrets.Of(name) : null)) is { } password)
            {
                text.Append('"').Append(Escape(user.Name)).Append("\" \"").Append(Escape(password)).Append("\"\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Users that pgbouncer knows but cannot authenticate: listed with <c>pgbouncer: true</c> and no password.</summary>
    public static IReadOnlyList<string> WithoutPassword(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return PooledUsers(settings).Where(u => u.Password is null && u.PasswordSecret is null).Select(u => u.Name).ToList();
    }

    private static IEnumerable<PgUser> PooledUsers(PgsqlSettings settings) => settings.Users.Where(u => u.Pgbouncer);

    private static string Escape(string value) => value.Replace("\"", "\"\"", StringComparison.Ordinal);

    private static void Set(StringBuilder text, string key, string value) => text.Append($"{key,-28}").Append("= ").Append(value).Append('\n');
}

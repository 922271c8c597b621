using Npgsql;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.BootTest.Harness;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>PostgreSQL through its three entry points, from the host with the credentials the appliance generated.</summary>
internal static class PostgresChecks
{
    private const string Table = "pigsty_boottest";

    /// <summary>A write and a read back through <paramref name="port"/> (5432 postgres, 5433 pgbouncer→primary, 5436 primary).</summary>
    public static async Task<CheckResult> WriteReadAsync(BootedGuest guest, int port, string user, string password, string marker, CancellationToken cancellationToken)
    {
        var name = $"write and read back through :{port} as {user}";
        try
        {
            await using var connection = await OpenAsync(guest, port, user, password, cancellationToken);
            await using (var create = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS {Table} (port int, marker text, at timestamptz DEFAULT now())", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var insert = new NpgsqlCommand($"INSERT INTO {Table} (port, marker) VALUES (@port, @marker)", connection))
            {
                insert.Parameters.AddWithValue("port", port);
                insert.Parameters.AddWithValue("marker", marker);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            var read = await CountAsync(connection, marker, port, cancellationToken);
            return new CheckResult(name, read == 1, $"wrote and read back {read} row(s) marked {marker} (server {connection.PostgreSqlVersion})");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new CheckResult(name, false, e.Message);
        }
    }

    /// <summary><c>select version()</c> through <paramref name="port"/> names the PostgreSQL major of the bundle's target.</summary>
    public static async Task<CheckResult> MajorAsync(BootedGuest guest, int port, string user, string password, TargetPlatform platform, CancellationToken cancellationToken)
    {
        var name = $"PostgreSQL through :{port} is {platform.PgMajor}, the major of the bundle's target ({platform.Os})";
        try
        {
            await using var connection = await OpenAsync(guest, port, user, password, cancellationToken);
            await using var query = new NpgsqlCommand("SELECT version(), current_setting('server_version_num')::int / 10000", connection);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (version, major) = (reader.GetString(0), reader.GetInt32(1));
            return new CheckResult(name, major == platform.PgMajor, version);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new CheckResult(name, false, e.Message);
        }
    }

    /// <summary>Rows written before (e.g. before a reboot) are still there.</summary>
    public static async Task<CheckResult> StillThereAsync(BootedGuest guest, int port, string user, string password, string marker, CancellationToken cancellationToken)
    {
        var name = $"rows written before the reboot are there (:{port})";
        try
        {
            await using var connection = await OpenAsync(guest, port, user, password, cancellationToken);
            var rows = await CountAsync(connection, marker, null, cancellationToken);
            return new CheckResult(name, rows > 0, $"{rows} row(s) marked {marker}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new CheckResult(name, false, e.Message);
        }
    }

    /// <summary>The database and user the seed declares exist.</summary>
    public static async Task<CheckResult> SeedObjectsAsync(BootedGuest guest, string password, string database, string user, CancellationToken cancellationToken)
    {
        var name = $"seed-declared database {database} and user {user} exist";
        try
        {
            await using var connection = await OpenAsync(guest, 5432, "dbuser_dba", password, cancellationToken, "postgres");
            await using var query = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM pg_database WHERE datname = @d) + (SELECT count(*) FROM pg_roles WHERE rolname = @u)", connection);
            query.Parameters.AddWithValue("d", database);
            query.Parameters.AddWithValue("u", user);
            var found = (long)(await query.ExecuteScalarAsync(cancellationToken))!;
            return new CheckResult(name, found == 2, $"{found} of 2 found");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new CheckResult(name, false, e.Message);
        }
    }

    /// <summary>
    /// A pg_users entry with <c>state: absent</c> left no role behind, while <paramref name="present"/> (declared beside it) exists: a
    /// loader that ignored the state would have created it.
    /// </summary>
    public static async Task<CheckResult> RoleAbsentAsync(BootedGuest guest, string password, string absent, string present, CancellationToken cancellationToken)
    {
        var name = $"pg_users {absent} with state: absent does not exist ({present}, declared beside it, does)";
        try
        {
            await using var connection = await OpenAsync(guest, 5432, "dbuser_dba", password, cancellationToken, "postgres");
            await using var query = new NpgsqlCommand("SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN (@a, @p)", connection);
            query.Parameters.AddWithValue("a", absent);
            query.Parameters.AddWithValue("p", present);
            var found = await query.ExecuteScalarAsync(cancellationToken) as string ?? "";
            return new CheckResult(name, found == present, $"roles found among {absent}, {present}: {(found.Length == 0 ? "none" : found)}");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new CheckResult(name, false, e.Message);
        }
    }

    /// <summary>No secret in any statement pg_stat_statements kept (what every pg_monitor member reads), in the meta database.</summary>
    public static async Task<CheckResult> NoSecretInStatementsAsync(BootedGuest guest, string password, IReadOnlyDictionary<string, string> secrets,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(guest, 5432, "dbuser_dba", password, cancellationToken);
            // Pigsty creates the extension in schema monitor (pg_default_extensions), which is not on the search path.
            await using var where = new NpgsqlCommand(
                "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'",
                connection);
            if (await where.ExecuteScalarAsync(cancellationToken) is not string schema)
            {
                return new CheckResult(SecretLeaks.StatementsCheck, false, "the meta database has no pg_stat_statements extension");
            }

            await using var query = new NpgsqlCommand($"SELECT coalesce(string_agg(query, E'\\n'), '') FROM {schema}.pg_stat_statements", connection);
            var statements = (string)(await query.ExecuteScalarAsync(cancellationToken))!;
            return SecretLeaks.Judge(SecretLeaks.StatementsCheck, "pg_stat_statements", statements, secrets);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new CheckResult(SecretLeaks.StatementsCheck, false, e.Message);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(BootedGuest guest, int port, string user, string password, CancellationToken cancellationToken,
        string database = "meta")
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = guest.Port(port),
            Username = user,
            Password = password,
            Database = database,
            SslMode = SslMode.Prefer,
            Timeout = 30,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string marker, int? port, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT count(*) FROM {Table} WHERE marker = @marker" + (port is null ? "" : " AND port = @port"), connection);
        select.Parameters.AddWithValue("marker", marker);
        if (port is { } p)
        {
            select.Parameters.AddWithValue("port", p);
        }

        return (long)(await select.ExecuteScalarAsync(cancellationToken))!;
    }
}

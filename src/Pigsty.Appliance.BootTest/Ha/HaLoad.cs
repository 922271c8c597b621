using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// The database side of the HA checks, run inside the test network (the harness starts <c>pigsty-boottest ha-load</c> under
/// <c>ip netns exec</c>): single writes and reads, the steady write load of a failover, and which of its ids a server has.
/// Each action prints JSON on stdout; the password comes from PGPASSWORD, never argv.
/// </summary>
internal sealed class HaLoad(string host, int port, string user, string password, string database, TextWriter output)
{
    private const string Table = "pigsty_ha";
    private const string LoadTable = "pigsty_ha_load";

    /// <summary>One row marked <paramref name="marker"/> written and read back on the same connection.</summary>
    public async Task<int> WriteAsync(string marker, CancellationToken cancellationToken)
    {
        return await ReportAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {Table} (marker text, via text, at timestamptz DEFAULT now())", cancellationToken);
            await using (var insert = new NpgsqlCommand($"INSERT INTO {Table} (marker, via) VALUES (@m, @v)", connection))
            {
                insert.Parameters.AddWithValue("m", marker);
                insert.Parameters.AddWithValue("v", Via);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            var count = await CountAsync(connection, marker, Via, cancellationToken);
            return (count == 1, count, $"wrote and read back {count} row(s) marked {marker} through {Where(connection)}");
        });
    }

    /// <summary>The rows marked <paramref name="marker"/> this server has (e.g. a replica through 5434).</summary>
    public async Task<int> ReadAsync(string marker, CancellationToken cancellationToken)
    {
        return await ReportAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            var count = await CountAsync(connection, marker, null, cancellationToken);
            await using var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
            var replica = (bool)(await recovery.ExecuteScalarAsync(cancellationToken))!;
            return (true, count, $"{count} row(s) marked {marker} on {Where(connection)} ({(replica ? "a replica" : "the primary")})");
        });
    }

    /// <summary>
    /// Commits one row at a time (ids 1, 2, …, a fresh id for every attempt, so an id is acknowledged at most once) and prints
    /// <c>{"id":n,"at":"…"}</c> as soon as each commit is acknowledged. A failed attempt drops the connection and the next one
    /// reconnects. Ends after <paramref name="maxCommits"/> attempts or <paramref name="maxDuration"/>, whichever comes first.
    /// </summary>
    public async Task<int> LoadAsync(string run, int maxCommits, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        NpgsqlConnection? connection = null;
        var prepared = false;
        try
        {
            for (long id = 1; id <= maxCommits && clock.Elapsed < maxDuration && !cancellationToken.IsCancellationRequested; id++)
            {
                // Each attempt has its own bound: a connection to a killed primary hangs until TCP gives up otherwise.
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(6));
                try
                {
                    connection ??= await OpenAsync(attempt.Token);
                    if (!prepared)
                    {
                        await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {LoadTable} (run text, id bigint, at timestamptz DEFAULT now(), PRIMARY KEY (run, id))", attempt.Token);
                        prepared = true;
                    }

                    await using var insert = new NpgsqlCommand($"INSERT INTO {LoadTable} (run, id) VALUES (@r, @i)", connection);
                    insert.Parameters.AddWithValue("r", run);
                    insert.Parameters.AddWithValue("i", id);
                    await insert.ExecuteNonQueryAsync(attempt.Token);
                    var at = DateTime.UtcNow;
                    await output.WriteLineAsync(JsonSerializer.Serialize(new AcknowledgedCommit(id, at)));
                    await output.FlushAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException or IOException
                    && !cancellationToken.IsCancellationRequested)
                {
                    // Why the attempt failed, for the failover's log: the gap between the kill and the first commit after it is made of these.
                    var error = $"{e.GetType().Name}: {e.Message}";
                    await output.WriteLineAsync(JsonSerializer.Serialize(new FailedAttempt(id, DateTime.UtcNow, error.Length > 160 ? error[..160] : error)));
                    await output.FlushAsync(CancellationToken.None);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The harness stopped the load: what was printed is the log.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        return 0;
    }

    /// <summary>Prints <c>{"ids":[…]}</c>: the ids of load <paramref name="run"/> this server has.</summary>
    public async Task<int> PresentAsync(string run, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT id FROM {LoadTable} WHERE run = @r ORDER BY id", connection);
        select.Parameters.AddWithValue("r", run);
        var ids = new List<long>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(new { ids, server = Where(connection) }));
        return 0;
    }

    private async Task<int> ReportAsync(Func<Task<(bool Ok, long Count, string Detail)>> action)
    {
        try
        {
            var (ok, count, detail) = await action();
            await output.WriteLineAsync(JsonSerializer.Serialize(new HaLoadResult(ok, count, detail)));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new HaLoadResult(false, 0, $"{host}:{port}: {e.Message}")));
        }

        return 0;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Username = user,
            Password = password,
            Database = database,
            SslMode = SslMode.Prefer,
            Timeout = 3,
            CommandTimeout = 5,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rows marked <paramref name="marker"/>, written through <paramref name="via"/> when given (one marker serves several entry points).</summary>
    private static async Task<long> CountAsync(NpgsqlConnection connection, string marker, string? via, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"SELECT count(*) FROM {Table} WHERE marker = @m" + (via is null ? "" : " AND via = @v"), connection);
        select.Parameters.AddWithValue("m", marker);
        if (via is not null)
        {
            select.Parameters.AddWithValue("v", via);
        }

        return (long)(await select.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The entry point written through, as host:port.</summary>
    private string Via => string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    private string Where(NpgsqlConnection connection) =>
        string.Create(CultureInfo.InvariantCulture, $"{host}:{port} (server {connection.PostgreSqlVersion})");
}

using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Pigsty.Appliance.Installer.Exporters;

/// <summary>
/// A client of pgbouncer's admin console over its Unix socket, speaking PostgreSQL's simple query protocol (version 3.0), the only
/// one the console answers. It logs in by peer authentication as the process's OS user, so it only sends the startup message.
/// </summary>
/// <remarks>
/// It replaces a psql per scrape: on a one-vCPU guest under TCG each psql start (libpq, OpenSSL, readline) cost about a second of
/// CPU, and the exporter took 7-12 % of the node's CPU in the HA boot test. A socket round trip per SHOW costs next to nothing.
/// </remarks>
public static class PgbouncerConsole
{
    /// <summary>A SHOW's answer: the column names, then each row's values as text (a NULL is the empty string, as psql's CSV has it).</summary>
    public sealed record Result(string Command, IReadOnlyList<IReadOnlyList<string>> Rows);

    /// <summary>The socket file of a server on <paramref name="port"/> in <paramref name="socketDirectory"/>, as libpq names it.</summary>
    public static string SocketPath(string socketDirectory, int port) =>
        Path.Combine(socketDirectory, ".s.PGSQL." + port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Runs each of <paramref name="commands"/> (e.g. <c>SHOW STATS</c>) in one session as <paramref name="user"/>.</summary>
    /// <exception cref="IOException">The console refused the login or a command, asked for a password, or spoke something else.</exception>
    public static async Task<IReadOnlyList<Result>> QueryAsync(string socketPath, string user, IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Startup(user), cancellationToken);
        await ReadUntilReadyAsync(stream, rows: null, cancellationToken);

        var results = new List<Result>();
        foreach (var command in commands)
        {
            await stream.WriteAsync(Message('Q', [.. Encoding.UTF8.GetBytes(command), 0]), cancellationToken);
            var rows = new List<IReadOnlyList<string>>();
            await ReadUntilReadyAsync(stream, rows, cancellationToken);
            results.Add(new Result(command, rows));
        }

        await stream.WriteAsync(Message('X', []), cancellationToken);
        return results;
    }

    /// <summary>Reads messages up to ReadyForQuery, collecting a row description and data rows into <paramref name="rows"/>.</summary>
    private static async Task ReadUntilReadyAsync(Stream stream, List<IReadOnlyList<string>>? rows, CancellationToken cancellationToken)
    {
        string? error = null;
        var header = new byte[5];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cancellationToken);
            var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
            if (length < 4 || length > 16 << 20)
            {
                throw new IOException($"pgbouncer's console sent a message of length {length}: not the PostgreSQL protocol");
            }

            var body = new byte[length - 4];
            await stream.ReadExactlyAsync(body, cancellationToken);
            switch ((char)header[0])
            {
                case 'R' when body.Length >= 4 && BinaryPrimitives.ReadInt32BigEndian(body) is var code && code != 0:
                    throw new IOException($"pgbouncer's console asks for authentication method {code}; the exporter logs in only by peer, as the OS user it runs as");
                case 'E':
                    error = ErrorText(body);
                    break;
                case 'T' when rows is not null:
                    rows.Add(Parse('T', body, Columns));
                    break;
                case 'D' when rows is not null:
                    rows.Add(Parse('D', body, Values));
                    break;
                case 'Z' when error is not null:
                    throw new IOException("pgbouncer's console: " + error);
                case 'Z':
                    return;
            }

            if (error is not null && rows is null)
            {
                // A refused login ends with ErrorResponse and a closed connection, never ReadyForQuery.
                throw new IOException("pgbouncer's console: " + error);
            }
        }
    }

    /// <summary>A row description or data row whose counts or lengths run past its end is a protocol error, like a bad length.</summary>
    private static string[] Parse(char type, byte[] body, Func<byte[], string[]> parse)
    {
        try
        {
            return parse(body);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            throw new IOException($"pgbouncer's console sent a malformed '{type}' message ({body.Length} bytes): not the PostgreSQL protocol");
        }
    }

    private static byte[] Startup(string user)
    {
        var parameters = new MemoryStream();
        foreach (var text in new[] { "user", user, "database", "pgbouncer", "application_name", "pigsty-appliance-exporter" })
        {
            parameters.Write(Encoding.UTF8.GetBytes(text));
            parameters.WriteByte(0);
        }

        parameters.WriteByte(0);
        var message = new byte[8 + parameters.Length];
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), 3 << 16);
        parameters.ToArray().CopyTo(message, 8);
        return message;
    }

    private static byte[] Message(char type, byte[] body)
    {
        var message = new byte[5 + body.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + body.Length);
        body.CopyTo(message, 5);
        return message;
    }

    /// <summary>RowDescription: the field names (the rest of each field's description does not matter here).</summary>
    private static string[] Columns(byte[] body)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(body);
        var names = new string[count];
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            names[i] = CString(body, ref at);
            at += 18; // table oid 4, column 2, type oid 4, size 2, modifier 4, format 2
        }

        return names;
    }

    /// <summary>DataRow: each value as text; NULL (length -1) as the empty string.</summary>
    private static string[] Values(byte[] body)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(body);
        var values = new string[count];
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(at));
            at += 4;
            values[i] = length < 0 ? "" : Encoding.UTF8.GetString(body, at, length);
            at += Math.Max(length, 0);
        }

        return values;
    }

    /// <summary>ErrorResponse: its message field ('M'), with the SQLSTATE ('C') when there is one.</summary>
    private static string ErrorText(byte[] body)
    {
        string? message = null, code = null;
        var at = 0;
        while (at < body.Length && body[at] != 0)
        {
            var field = (char)body[at++];
            var value = CString(body, ref at);
            message = field == 'M' ? value : message;
            code = field == 'C' ? value : code;
        }

        return (message ?? "an error without a message") + (code is null ? "" : $" (SQLSTATE {code})");
    }

    private static string CString(byte[] body, ref int at)
    {
        var end = Array.IndexOf(body, (byte)0, at);
        if (end < 0)
        {
            throw new IOException("pgbouncer's console sent an unterminated string: not the PostgreSQL protocol");
        }

        var text = Encoding.UTF8.GetString(body, at, end - at);
        at = end + 1;
        return text;
    }
}

using System.Text.Json;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>psql and pgbackrest as the dbsu (runuser), with scripts and secrets on stdin.</summary>
public static class PgsqlCommands
{
    /// <summary>How long one psql script may run unless its step says otherwise.</summary>
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>psql over the Unix socket as the dbsu, stopping at the first error, reading the script from stdin.</summary>
    public static ProcessSpec Psql(PgsqlSettings settings, string script, IReadOnlyList<string> secrets, string database = "postgres", TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ProcessSpec("runuser", ["-u", settings.Dbsu, "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
            "-h", PgsqlSettings.SocketDir, "-p", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-d", database, "-f", "-"])
        {
            StandardInput = script,
            Secrets = secrets,
            Timeout = timeout ?? ScriptTimeout,
        };
    }

    /// <summary>pgbackrest for the cluster's stanza as the dbsu.</summary>
    public static ProcessSpec Pgbackrest(PgsqlSettings settings, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ProcessSpec("runuser", ["-u", settings.Dbsu, "--", "pgbackrest", $"--stanza={settings.Cluster}", .. arguments])
        {
            Timeout = TimeSpan.FromHours(6),
        };
    }

    /// <summary>The stanza's status from <c>pgbackrest info --output=json</c>: null when unknown, else (code, backups).</summary>
    public static async Task<(int Code, int Backups)?> StanzaAsync(StepContext context, PgsqlSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var info = await context.Machine.Processes.RunAsync(Pgbackrest(settings, "--output=json", "info") with { ThrowOnNonZeroExit = false }, cancellationToken);
        if (!info.Succeeded)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(info.StandardOutput);
            var stanza = json.RootElement.EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == settings.Cluster);
            return stanza.ValueKind == JsonValueKind.Undefined
                ? null
                : (stanza.GetProperty("status").GetProperty("code").GetInt32(), stanza.GetProperty("backup").GetArrayLength());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InstallException("pgsql.backup", $"pgbackrest info printed JSON we cannot read: {e.Message}");
        }
    }
}

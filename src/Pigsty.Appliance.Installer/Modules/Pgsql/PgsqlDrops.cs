using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// <c>state: absent</c> (and <c>recreate</c>) on the primary, as Pigsty's pg-drop-role does: databases dropped; each role locked out,
/// what it owns in every database reassigned to the dbsu and its privileges dropped there, then the role dropped.
/// </summary>
public static class PgsqlDrops
{
    /// <summary>What the step runs, as one text: its digest makes the step run again when the drops change.</summary>
    public static string Script(PgsqlSettings settings) =>
        SqlRenderer.DropsBefore(settings) + "-- in every database:\n" + SqlRenderer.DropOwned(settings) + "-- then:\n" + SqlRenderer.DropRoles(settings);

    /// <summary>Runs the drops through <paramref name="runner"/> (psql as the dbsu over the socket).</summary>
    public static async Task ApplyAsync(IProcessRunner runner, PgsqlSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(settings);
        await runner.RunAsync(PgsqlCommands.Psql(settings, SqlRenderer.DropsBefore(settings), []), cancellationToken);
        if (settings.DroppedUsers.Count == 0)
        {
            return;
        }

        // The databases that exist now, after the drops: objects of the roles may be in any of them, even ones the inventory never named.
        var list = await runner.RunAsync(PgsqlCommands.Psql(settings,
            "\\pset tuples_only on\n\\pset format unaligned\nSELECT datname FROM pg_database WHERE datallowconn ORDER BY datname;\n", []), cancellationToken);
        foreach (var database in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await runner.RunAsync(PgsqlCommands.Psql(settings, SqlRenderer.DropOwned(settings), [], database), cancellationToken);
        }

        await runner.RunAsync(PgsqlCommands.Psql(settings, SqlRenderer.DropRoles(settings), []), cancellationToken);
    }
}

using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// A pgBackRest command that needs this node's PostgreSQL to be the primary (stanza-create, check), run each time once PostgreSQL
/// answers on its local socket that it is out of recovery, which is what pgBackRest itself checks. Patroni's /primary is not asked: in
/// the HA boot test the infra node's Patroni API accepted no connection for 600 s while it led (every attempt "Connection timed out",
/// its journal full of health checks whose clients had given up), and the step failed with PostgreSQL serving as the primary. Two failures of a node that just bootstrapped are passing, and the command runs again after waiting on what
/// ended them, <see cref="Attempts"/> times in all; any other failure ends the step at once.
/// <list type="bullet">
/// <item>[056] "unable to find primary cluster": on a loaded node Patroni can lose the leader key to a slow etcd and hold PostgreSQL in
/// recovery for a while (HA boot test); the next run waits for /primary again.</item>
/// <item>[050] "unable to acquire lock": the asynchronous archive-push PostgreSQL's archiver started holds the stanza's archive lock
/// (seen on the nocloud boot test, with every push failing until the stanza exists); the next run waits until the lock is free.</item>
/// <item>[082] "WAL segment … was not archived before the timeout" while PostgreSQL's archiver did archive other segments meanwhile
/// (new <c>.done</c> files in <c>pg_wal/archive_status</c>, read from disk: on that node a psql could not even start within two minutes,
/// so asking pg_stat_archiver failed the step in HA run 2): the WAL written before the stanza existed is still queued ahead of the check's own
/// segment. In the HA boot test the primary had five 16 MiB segments queued and each async push took 35–85 s on its starved vCPU, so
/// the check's segment was not reached in 300 s. The check runs again as long as archiving moves, <see cref="ArchiveAttempts"/> times
/// in all; an archiver that archived nothing fails the step at once.</item>
/// </list>
/// </summary>
internal static class PgbackrestOnPrimary
{
    /// <summary>pgBackRest's exit code for "unable to find primary cluster".</summary>
    public const int PrimaryNotFound = 56;

    /// <summary>pgBackRest's exit code for a lock another pgBackRest process holds.</summary>
    public const int LockHeld = 50;

    /// <summary>pgBackRest's exit code for a WAL segment not archived within <c>--archive-timeout</c>.</summary>
    public const int ArchiveTimeout = 82;

    /// <summary>How often the command runs at most after [056] or [050].</summary>
    public const int Attempts = 3;

    /// <summary>How often <c>check</c> runs at most while archiving is behind but moving ([082]).</summary>
    public const int ArchiveAttempts = 6;

    /// <summary>
    /// How long one recovery query may take: a backend start on a starved node took minutes in the HA boot test, where every
    /// psql ran past 20 s for 10 minutes; a query that times out is one failed attempt of the wait.
    /// </summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan LockDeadline = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(StepContext context, PgsqlSettings settings, string[] arguments, TimeSpan primaryDeadline,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(arguments);
        var command = PgsqlCommands.Pgbackrest(settings, arguments);
        var (passing, behind) = (0, 0);
        for (var run = 1; ; run++)
        {
            // Each psql is bounded by its own QueryTimeout, not by the probe's shorter per-attempt bound (hence the step's token).
            await context.Machine.Health.WaitUntilAsync("patroni.service", WaitingFor(settings), _ => NotPrimaryAsync(context, settings, cancellationToken),
                primaryDeadline, cancellationToken);
            var archived = arguments[0] == "check" ? Archived(context, settings) : [];
            var result = await context.Machine.Processes.RunAsync(command with { ThrowOnNonZeroExit = false }, cancellationToken);
            if (result.Succeeded)
            {
                return;
            }

            var lockFile = result.ExitCode == LockHeld ? LockFile(result.StandardError) : null;
            var moved = result.ExitCode == ArchiveTimeout ? Archived(context, settings).Except(archived).Count() : 0;
            string what;
            if (moved > 0 && ++behind < ArchiveAttempts)
            {
                what = $"WAL archiving is behind but moving ({moved} segment(s) archived while the check waited, pgBackRest [082]); checking again";
            }
            else if (moved == 0 && ++passing < Attempts && (result.ExitCode == PrimaryNotFound || lockFile is not null))
            {
                what = lockFile is null
                    ? $"{settings.Self.Name} was not the primary (pgBackRest [056]); waiting for PostgreSQL to run as the primary again"
                    : $"another pgBackRest process held {lockFile} (pgBackRest [050]); waiting until it is free";
            }
            else
            {
                throw ProcessRunner.NonZeroExit(command, result);
            }

            await context.Trace.NoteAsync($"pgbackrest {arguments[0]}, run {run}: {what}", cancellationToken);
            if (lockFile is not null)
            {
                // flock(1) takes the lock pgBackRest takes (flock on the same file) and lets it go at once.
                await context.Machine.Health.WaitForCommandAsync("pgbackrest",
                    new ProcessSpec("runuser", ["-u", settings.Dbsu, "--", "flock", "--nonblock", lockFile, "true"]), LockDeadline, cancellationToken);
            }
        }
    }

    /// <summary>The WAL segments PostgreSQL marked archived (<c>pg_wal/archive_status/*.done</c>); a checkpoint may drop old ones.</summary>
    private static HashSet<string> Archived(StepContext context, PgsqlSettings settings) =>
        context.Machine.Files.ListFiles($"{settings.DataDir}/pg_wal/archive_status")
            .Where(f => f.EndsWith(".done", StringComparison.Ordinal))
            .Select(f => f[(f.LastIndexOf('/') + 1)..])
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>What the wait before each run waits for.</summary>
    internal static string WaitingFor(PgsqlSettings settings) =>
        $"PostgreSQL of {settings.Self.Name} to run as the primary (pg_is_in_recovery() false on its local socket)";

    /// <summary>The query the wait runs (as the dbsu, over the local socket).</summary>
    internal const string RecoveryQuery = "SELECT pg_is_in_recovery();";

    /// <summary>Null when this node's PostgreSQL is out of recovery, else why not (still in recovery, or psql's error).</summary>
    private static async Task<string?> NotPrimaryAsync(StepContext context, PgsqlSettings settings, CancellationToken cancellationToken)
    {
        var query = PgsqlCommands.Psql(settings, RecoveryQuery, []);
        var result = await context.Machine.Processes.RunAsync(
            query with { Arguments = [.. query.Arguments, "-At"], ThrowOnNonZeroExit = false, Timeout = QueryTimeout }, cancellationToken);
        return !result.Succeeded ? $"psql exited with code {result.ExitCode}: {result.StandardError.Trim()}"
            : result.StandardOutput.Trim() == "f" ? null
            : $"pg_is_in_recovery() is '{result.StandardOutput.Trim()}'";
    }

    /// <summary>The file of pgBackRest's "unable to acquire lock on file '…'" message, or null.</summary>
    internal static string? LockFile(string standardError)
    {
        const string Start = "unable to acquire lock on file '";
        var at = standardError.IndexOf(Start, StringComparison.Ordinal);
        var end = at < 0 ? -1 : standardError.IndexOf('\'', at + Start.Length);
        return end < 0 ? null : standardError[(at + Start.Length)..end];
    }
}

using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>
/// etcdctl (v3 API) over TLS against the endpoints given (every member's, as Pigsty's etcdctl profile has, so that a member starved on
/// a loaded node does not stall the request); credentials travel in the environment and passwords on stdin, never in argv.
/// </summary>
public static class EtcdCtl
{
    /// <summary>An etcdctl command, as root when <paramref name="rootPassword"/> is given, with <paramref name="input"/> on stdin.</summary>
    public static ProcessSpec Command(string endpoints, string? rootPassword, IReadOnlyList<string> arguments, string? input = null) =>
        Build(endpoints, rootPassword is null ? null : "root", rootPassword, arguments, input);

    /// <summary>An etcdctl command as <paramref name="user"/> (e.g. a cluster's Patroni user).</summary>
    public static ProcessSpec AsUser(string endpoints, string user, string password, IReadOnlyList<string> arguments) =>
        Build(endpoints, user, password, arguments, null);

    private static ProcessSpec Build(string endpoints, string? user, string? password, IReadOnlyList<string> arguments, string? input)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ETCDCTL_API"] = "3",
            ["ETCDCTL_ENDPOINTS"] = endpoints,
            ["ETCDCTL_CACERT"] = EtcdSettings.CaPath,
            ["ETCDCTL_DIAL_TIMEOUT"] = "3s",
            // Writes go through raft and fsync on every member: on three slow VMs they took over 10 s.
            ["ETCDCTL_COMMAND_TIMEOUT"] = "20s",
            ["ETCDCTL_USER"] = user,
            ["ETCDCTL_PASSWORD"] = password,
        };
        return new ProcessSpec("etcdctl", arguments)
        {
            Environment = environment,
            StandardInput = input,
            Secrets = password is null ? [] : [password],
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromSeconds(45),
        };
    }

    /// <summary>How long <see cref="QueryAsync"/> keeps asking a silent etcd by default.</summary>
    public static readonly TimeSpan QueryPatience = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long <see cref="ConvergeAsync"/> keeps trying writes against a silent etcd by default. Three TCG VMs on two host cores once
    /// kept etcd silent for more than three minutes in one step (a <c>user grant-role</c> timed out after 214 s of attempts).
    /// </summary>
    public static readonly TimeSpan WritePatience = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan QueryPause = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs a read-only query, again while etcd answers that it is busy or unreachable, for at most <paramref name="patience"/>
    /// (<see cref="QueryPatience"/> when null). A loaded member times out now and then, and a check must not take that for "not
    /// done": a second run once failed at etcd.auth because a timed-out login looked like a refused password, and a cluster of
    /// three slow VMs answered nothing for over a minute after its members started.
    /// </summary>
    public static async Task<ProcessResult> QueryAsync(IProcessRunner processes, ProcessSpec spec, CancellationToken cancellationToken, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var until = DateTimeOffset.UtcNow + (patience ?? QueryPatience);
        while (true)
        {
            var result = await RunOrSilenceAsync(processes, spec, cancellationToken);
            if (result.Succeeded || !Transient(result) || DateTimeOffset.UtcNow >= until)
            {
                return result;
            }

            await Task.Delay(QueryPause, cancellationToken);
        }
    }

    /// <summary>
    /// The result of <paramref name="spec"/>; an etcdctl stopped on its process timeout is a silent etcd, reported as a deadline exceeded.
    /// etcdctl given every member once ran past its own command timeout while it tried them in turn, and the peer waiting for
    /// authentication took that for a failure.
    /// </summary>
    private static async Task<ProcessResult> RunOrSilenceAsync(IProcessRunner processes, ProcessSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await processes.RunAsync(spec, cancellationToken);
        }
        catch (ToolException e) when (StoppedOnTimeout(e))
        {
            return new ProcessResult(-1, "", $"{e.StderrTail}\nError: context deadline exceeded (etcdctl stopped after {spec.Timeout?.TotalSeconds:0} s)", spec.Timeout ?? TimeSpan.Zero);
        }
    }

    private static bool StoppedOnTimeout(ToolException e) => e.Tool == "etcdctl" && e.TimedOut;

    /// <summary>
    /// Runs <paramref name="attempt"/>, a sequence of etcdctl commands that converges whatever exists (it reads before it writes),
    /// again while a command fails because etcd is silent, for at most <paramref name="patience"/> (<see cref="WritePatience"/> when null). A write that timed out may still
    /// have been applied, which the next attempt reads. Three slow VMs once timed out on <c>role add</c> right after authentication.
    /// </summary>
    public static async Task ConvergeAsync(Func<Task> attempt, CancellationToken cancellationToken, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var until = DateTimeOffset.UtcNow + (patience ?? WritePatience);
        while (true)
        {
            try
            {
                await attempt();
                return;
            }
            catch (ToolException e) when (e.Tool == "etcdctl" && (StoppedOnTimeout(e) || TransientText(e.StderrTail)) && DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(QueryPause, cancellationToken);
            }
        }
    }

    /// <summary>True when etcdctl failed because etcd was slow, busy, leaderless or not listening, not because it said no.</summary>
    public static bool Transient(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Succeeded && TransientText(result.StandardError);
    }

    private static bool TransientText(string error) => TransientMarkers.Any(m => error.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] TransientMarkers =
        ["deadline exceeded", "request timed out", "code = Unavailable", "connection refused", "too many requests", "leader changed", "no leader"];

    /// <summary>Throws a <see cref="ToolException"/> with the tail of stderr when an etcdctl command failed.</summary>
    public static void Check(ProcessResult result, string command)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            var tail = string.Join('\n', result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5));
            throw new ToolException("etcdctl", result.ExitCode, tail, $"etcdctl {command} failed with code {result.ExitCode}: {tail}");
        }
    }

    /// <summary>
    /// Checks an <c>add</c> (user or role): true when it created the entry, false when etcd answered that it already exists, which
    /// counts as done (etcdctl repeats a write on its own after a transport error, and the repeat of an applied add gets that answer).
    /// Any other failure throws as <see cref="Check"/> does.
    /// </summary>
    public static bool CheckAdded(ProcessResult result, string command)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded && result.StandardError.Contains("name already exists", StringComparison.Ordinal))
        {
            return false;
        }

        Check(result, command);
        return true;
    }

    /// <summary>True when etcd answered that the user or role asked for does not exist (etcd's "user name not found", "role name not found").</summary>
    public static bool NotFound(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Succeeded && result.StandardError.Contains("name not found", StringComparison.Ordinal);
    }

    /// <summary>True when etcd refused a request for want of credentials, i.e. authentication is enabled.</summary>
    public static bool RefusedForAuth(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Succeeded && result.StandardError.Contains("user name is empty", StringComparison.Ordinal);
    }
}

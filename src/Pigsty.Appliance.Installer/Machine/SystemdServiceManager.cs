using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>systemctl and journalctl.</summary>
public sealed class SystemdServiceManager(IProcessRunner processes, SystemdCallGate? gate = null, TimeProvider? time = null) : IServiceManager
{
    private readonly SystemdCallGate _gate = gate ?? SystemdCallGate.Shared;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan FirstLook = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan LongestLook = TimeSpan.FromSeconds(2);

    /// <summary>How long a queued job may take to end (as long as a blocking systemctl was given before).</summary>
    internal TimeSpan JobDeadline { get; init; } = Timeout;

    public Task DaemonReloadAsync(CancellationToken cancellationToken) => Reloading(cancellationToken, "daemon-reload");

    public Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken) => Query(cancellationToken, "is-active", "--quiet", unit);

    public Task<bool> IsEnabledAsync(string unit, CancellationToken cancellationToken) => Query(cancellationToken, "is-enabled", "--quiet", unit);

    public async Task<bool> IsMaskedAsync(string unit, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(new ProcessSpec("systemctl", ["is-enabled", unit]) { ThrowOnNonZeroExit = false, Environment = SystemctlEnvironment }, cancellationToken);
        return result.StandardOutput.Trim() is "masked" or "masked-runtime";
    }

    // --no-reload: enabling only links the unit into its target for the next boot, which PID 1 reads then; the unit itself was
    // loaded by the module's one daemon-reload. A reload per enable cost first boot about 16 reloads of 3-5 s each under TCG,
    // all exclusive, so every start waited behind them.
    public Task EnableAsync(string unit, CancellationToken cancellationToken) => Reloading(cancellationToken, "enable", "--no-reload", unit);

    public Task StartAsync(string unit, CancellationToken cancellationToken) => JobAsync("start", unit, cancellationToken);

    public Task RestartAsync(string unit, CancellationToken cancellationToken) => JobAsync("restart", unit, cancellationToken);

    public Task ReloadAsync(string unit, CancellationToken cancellationToken) => JobAsync("reload", unit, cancellationToken);

    public Task StopAsync(string unit, CancellationToken cancellationToken) => JobAsync("stop", unit, cancellationToken);

    public Task MaskAsync(string unit, CancellationToken cancellationToken) => MaskAsync([unit], cancellationToken);

    public Task UnmaskAsync(string unit, CancellationToken cancellationToken) => Reloading(cancellationToken, "unmask", unit);

    public async Task MaskAsync(IReadOnlyList<string> units, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Count > 0)
        {
            // One reload, after the mask: PID 1 must see the /dev/null link, while the disable only matters at the next boot.
            await Reloading(cancellationToken, ["disable", "--now", "--no-reload", .. units]);
            await Reloading(cancellationToken, ["mask", .. units]);
        }
    }

    public async Task<string> JournalTailAsync(string unit, int lines, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(new ProcessSpec("journalctl",
            ["--unit", unit, "--lines", lines.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-pager", "--output", "cat"])
        {
            ThrowOnNonZeroExit = false,
        }, cancellationToken);
        return result.StandardOutput.TrimEnd();
    }

    /// <summary>
    /// The environment of every systemctl call. SYSTEMD_BUS_TIMEOUT: systemctl gives PID 1 25 s to answer a call; on a slow node
    /// (TCG, three VMs on two cores) a start queued behind another step's daemon-reload took longer and failed with "Connection timed
    /// out" while the unit was fine, so it waits as long as we would. SYSTEMCTL_SKIP_SYSV: Debian's packages ship an /etc/init.d script
    /// beside most units (etcd, haproxy, pgbouncer, patroni, nginx, the exporters), and for those an enable or disable also runs
    /// systemd-sysv-install, whose two update-rc.d calls each reload PID 1 whatever <c>--no-reload</c> says. Under TCG a reload takes
    /// about 8 s and nothing starts meanwhile: first boot lost ~70 s before etcd started to six of them. The rc.d links they keep in
    /// step mean nothing on a systemd node whose native unit (ours, or the package's masked one) shadows the script.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string?> SystemctlEnvironment = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["SYSTEMD_BUS_TIMEOUT"] = $"{Timeout.TotalSeconds:0}s",
        ["SYSTEMCTL_SKIP_SYSV"] = "1",
    };

    /// <summary>
    /// Queues a <paramref name="verb"/> job with <c>--no-block</c> (a job call of the gate, over as soon as PID 1 has the job), then
    /// reads the unit's state until the job is gone. A blocking systemctl held the gate for the whole job: in the HA boot test a
    /// mask waited 243-320 s behind slow starts, and every start after it waited behind the mask.
    /// </summary>
    private async Task JobAsync(string verb, string unit, CancellationToken cancellationToken)
    {
        await _gate.JobAsync(() => Run([verb, "--no-block", unit], cancellationToken), cancellationToken);
        var until = _time.GetUtcNow() + JobDeadline;
        var look = FirstLook;
        while (true)
        {
            var (state, error) = await StateAsync(unit, cancellationToken);
            if (state is { Pending: false })
            {
                if (state.Problem(verb) is { } problem)
                {
                    throw await FailedAsync(unit, $"systemctl {verb} {unit}: {problem}", cancellationToken);
                }

                return;
            }

            if (_time.GetUtcNow() >= until)
            {
                var where = state is null ? $"systemctl show failed: {error}" : $"its job {state.Job} was still pending (the unit is {state.Describe()})";
                throw await FailedAsync(unit, $"systemctl {verb} {unit}: after {JobDeadline.TotalSeconds:0} s {where}", cancellationToken);
            }

            await Task.Delay(look, _time, cancellationToken);
            look = TimeSpan.FromTicks(Math.Min(look.Ticks * 2, LongestLook.Ticks));
        }
    }

    /// <summary>The unit's job and state, read as a job call (never while PID 1 reloads); null with the error when systemctl failed.</summary>
    private async Task<(UnitJobState? State, string Error)> StateAsync(string unit, CancellationToken cancellationToken)
    {
        var result = await _gate.JobAsync(() => processes.RunAsync(
            new ProcessSpec("systemctl", ["show", $"--property={string.Join(',', UnitJobState.Properties)}", unit])
            {
                Timeout = Timeout,
                Environment = SystemctlEnvironment,
                ThrowOnNonZeroExit = false,
            }, cancellationToken), cancellationToken);
        return result.Succeeded ? (UnitJobState.Parse(result.StandardOutput), "") : (null, $"exit {result.ExitCode}: {result.StandardError.Trim()}");
    }

    private async Task<InstallException> FailedAsync(string unit, string reason, CancellationToken cancellationToken) =>
        new(unit, $"{reason}\n--- journal of {unit} ---\n{await JournalTailAsync(unit, 15, cancellationToken)}");

    /// <summary>A call after which PID 1 reloads its units: alone (see <see cref="SystemdCallGate"/>).</summary>
    private Task Reloading(CancellationToken cancellationToken, params string[] arguments) =>
        _gate.ReloadAsync(() => Run(arguments, cancellationToken), cancellationToken);

    private Task<ProcessResult> Run(string[] arguments, CancellationToken cancellationToken) =>
        processes.RunAsync(new ProcessSpec("systemctl", arguments) { Timeout = Timeout, Environment = SystemctlEnvironment }, cancellationToken);

    private async Task<bool> Query(CancellationToken cancellationToken, params string[] arguments) =>
        (await processes.RunAsync(new ProcessSpec("systemctl", arguments) { ThrowOnNonZeroExit = false, Environment = SystemctlEnvironment }, cancellationToken))
        .Succeeded;
}

using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>systemctl and journalctl.</summary>
public sealed class SystemdServiceManager(IProcessRunner processes, SystemdCallGate? gate = null) : IServiceManager
{
    private readonly SystemdCallGate _gate = gate ?? SystemdCallGate.Shared;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public Task DaemonReloadAsync(CancellationToken cancellationToken) => Reloading(cancellationToken, "daemon-reload");

    public Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken) => Query(cancellationToken, "is-active", "--quiet", unit);

    public Task<bool> IsEnabledAsync(string unit, CancellationToken cancellationToken) => Query(cancellationToken, "is-enabled", "--quiet", unit);

    public async Task<bool> IsMaskedAsync(string unit, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(new ProcessSpec("systemctl", ["is-enabled", unit]) { ThrowOnNonZeroExit = false }, cancellationToken);
        return result.StandardOutput.Trim() is "masked" or "masked-runtime";
    }

    // --no-reload: enabling only links the unit into its target for the next boot, which PID 1 reads then; the unit itself was
    // loaded by the module's one daemon-reload. A reload per enable cost first boot about 16 reloads of 3-5 s each under TCG,
    // all exclusive, so every start waited behind them.
    public Task EnableAsync(string unit, CancellationToken cancellationToken) => Reloading(cancellationToken, "enable", "--no-reload", unit);

    public Task StartAsync(string unit, CancellationToken cancellationToken) => Systemctl(cancellationToken, "start", unit);

    public Task RestartAsync(string unit, CancellationToken cancellationToken) => Systemctl(cancellationToken, "restart", unit);

    public Task ReloadAsync(string unit, CancellationToken cancellationToken) => Systemctl(cancellationToken, "reload", unit);

    public Task StopAsync(string unit, CancellationToken cancellationToken) => Systemctl(cancellationToken, "stop", unit);

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

    // systemctl gives PID 1 25 s to answer a call; on a slow node (TCG, three VMs on two cores) a start queued behind another
    // step's daemon-reload took longer and failed with "Connection timed out" while the unit was fine: wait as long as we would.
    private static readonly Dictionary<string, string?> BusTimeout = new(StringComparer.Ordinal)
    {
        ["SYSTEMD_BUS_TIMEOUT"] = $"{Timeout.TotalSeconds:0}s",
    };

    private Task Systemctl(CancellationToken cancellationToken, params string[] arguments) =>
        _gate.JobAsync(() => Run(arguments, cancellationToken), cancellationToken);

    /// <summary>A call after which PID 1 reloads its units: alone (see <see cref="SystemdCallGate"/>).</summary>
    private Task Reloading(CancellationToken cancellationToken, params string[] arguments) =>
        _gate.ReloadAsync(() => Run(arguments, cancellationToken), cancellationToken);

    private Task<ProcessResult> Run(string[] arguments, CancellationToken cancellationToken) =>
        processes.RunAsync(new ProcessSpec("systemctl", arguments) { Timeout = Timeout, Environment = BusTimeout }, cancellationToken);

    private async Task<bool> Query(CancellationToken cancellationToken, params string[] arguments) =>
        (await processes.RunAsync(new ProcessSpec("systemctl", arguments) { ThrowOnNonZeroExit = false, Environment = BusTimeout }, cancellationToken))
        .Succeeded;
}

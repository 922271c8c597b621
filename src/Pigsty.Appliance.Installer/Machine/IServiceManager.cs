namespace Pigsty.Appliance.Installer.Machine;

/// <summary>systemd units on the node.</summary>
public interface IServiceManager
{
    Task DaemonReloadAsync(CancellationToken cancellationToken);

    Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken);

    Task<bool> IsEnabledAsync(string unit, CancellationToken cancellationToken);

    /// <summary>True when the unit is masked (linked to /dev/null).</summary>
    Task<bool> IsMaskedAsync(string unit, CancellationToken cancellationToken);

    Task EnableAsync(string unit, CancellationToken cancellationToken);

    Task StartAsync(string unit, CancellationToken cancellationToken);

    Task RestartAsync(string unit, CancellationToken cancellationToken);

    Task ReloadAsync(string unit, CancellationToken cancellationToken);

    Task StopAsync(string unit, CancellationToken cancellationToken);

    /// <summary>Stops, disables and masks a unit so nothing (a package upgrade included) starts it.</summary>
    Task MaskAsync(string unit, CancellationToken cancellationToken);

    /// <summary>Stops, disables and masks several units at once (two systemctl calls for all of them).</summary>
    Task MaskAsync(IReadOnlyList<string> units, CancellationToken cancellationToken);

    /// <summary>Lifts a mask (a package's unit masked until a step configures it); nothing for a unit that is not masked.</summary>
    Task UnmaskAsync(string unit, CancellationToken cancellationToken);

    /// <summary>The unit's last journal lines, for error messages.</summary>
    Task<string> JournalTailAsync(string unit, int lines, CancellationToken cancellationToken);
}

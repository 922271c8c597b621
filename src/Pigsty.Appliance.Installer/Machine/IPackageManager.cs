namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Installs packages from the local (bundled) repository only, without letting them start services.</summary>
public interface IPackageManager
{
    /// <summary>The packages among <paramref name="packages"/> that are not installed.</summary>
    Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken);

    /// <summary>Every package dpkg has installed (configured, not half-installed).</summary>
    Task<IReadOnlySet<string>> InstalledAsync(CancellationToken cancellationToken);

    /// <summary>Installs the packages; a package missing from the repository is an error naming it. <paramref name="progress"/> hears
    /// milestones of the run as they happen (e.g. dpkg starting to unpack).</summary>
    Task InstallAsync(IReadOnlyList<string> packages, Func<string, Task>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Finishes a dpkg or apt run that was interrupted (a power cut mid-install): <c>dpkg --configure -a</c>, then <c>apt-get -f install</c>
    /// from the local repository. Returns what it found and did, or null when nothing was interrupted.
    /// </summary>
    Task<string?> RepairAsync(CancellationToken cancellationToken);

    /// <summary>The systemd units (services, sockets, timers; not templates) that <paramref name="packages"/> ship.</summary>
    Task<IReadOnlyList<string>> UnitsOfAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken);

    /// <summary>Re-reads the configured repositories' indexes (apt-get update), after a source changed.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}

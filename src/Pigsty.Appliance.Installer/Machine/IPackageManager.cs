namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Installs packages from the local (bundled) repository only, without letting them start services.</summary>
public interface IPackageManager
{
    /// <summary>The packages among <paramref name="packages"/> that are not installed.</summary>
    Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken);

    /// <summary>Installs the packages; a package missing from the repository is an error naming it.</summary>
    Task InstallAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken);

    /// <summary>Re-reads the configured repositories' indexes (apt-get update), after a source changed.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}

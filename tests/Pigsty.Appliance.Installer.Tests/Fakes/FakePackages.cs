using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>
/// A package database as a set; installing a package the "repo" lacks fails with what <see cref="AptPackageManager"/> throws for
/// apt's own words (AptPackageManagerRealAptTests holds both against real apt and dpkg).
/// </summary>
internal sealed class FakePackages(params string[] repository) : IPackageManager
{
    public HashSet<string> Installed { get; } = [];

    /// <summary>How many times the indexes were refreshed (apt-get update).</summary>
    public int Refreshes { get; private set; }

    /// <summary>What apt-get install prints on stderr, exiting 100, for packages no source has.</summary>
    public static string AptErrors(IEnumerable<string> lacking) => string.Concat(lacking.Select(p => $"E: Unable to locate package {p}\n"));

    public Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(packages.Where(p => !Installed.Contains(p)).ToList());

    public Task InstallAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var lacking = packages.Where(p => !repository.Contains(p)).ToList();
        if (lacking.Count > 0)
        {
            throw AptPackageManager.InstallFailed(packages, new ProcessResult(100, "", AptErrors(lacking), TimeSpan.Zero));
        }

        Installed.UnionWith(packages);
        return Task.CompletedTask;
    }

    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        Refreshes++;
        return Task.CompletedTask;
    }
}

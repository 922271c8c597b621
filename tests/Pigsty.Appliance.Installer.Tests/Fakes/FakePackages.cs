using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>A package database as a set; installing a package the "repo" lacks fails like apt does.</summary>
internal sealed class FakePackages(params string[] repository) : IPackageManager
{
    public HashSet<string> Installed { get; } = [];

    /// <summary>How many times the indexes were refreshed (apt-get update).</summary>
    public int Refreshes { get; private set; }

    public Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(packages.Where(p => !Installed.Contains(p)).ToList());

    public Task InstallAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var lacking = packages.Where(p => !repository.Contains(p)).ToList();
        if (lacking.Count > 0)
        {
            throw new InvalidOperationException($"the local repository lacks: {string.Join(", ", lacking)}");
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

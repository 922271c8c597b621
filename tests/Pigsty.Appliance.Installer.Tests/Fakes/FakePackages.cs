using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>
/// A package database as a set; installing a package the "repo" lacks fails with what <see cref="AptPackageManager"/> throws for
/// apt's own words (AptPackageManagerRealAptTests holds both against real apt and dpkg).
/// </summary>
internal sealed class FakePackages(params string[] repository) : IPackageManager
{
    private readonly Lock _gate = new();

    public HashSet<string> Installed { get; } = [];

    /// <summary>The units each package ships (what <see cref="UnitsOfAsync"/> answers).</summary>
    public Dictionary<string, string[]> Units { get; } = [];

    /// <summary>Every install run, with the packages it was asked for.</summary>
    public List<string> Installs { get; } = [];

    /// <summary>What an interrupted dpkg run left, for <see cref="RepairAsync"/> to find and clear; null: nothing.</summary>
    public string? Interrupted { get; set; }

    /// <summary>How many times the indexes were refreshed (apt-get update).</summary>
    public int Refreshes { get; private set; }

    /// <summary>What apt-get install prints on stderr, exiting 100, for packages no source has.</summary>
    public static string AptErrors(IEnumerable<string> lacking) => string.Concat(lacking.Select(p => $"E: Unable to locate package {p}\n"));

    public Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(packages.Where(p => !Installed.Contains(p)).ToList());
        }
    }

    public Task<IReadOnlySet<string>> InstalledAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlySet<string>>(Installed.ToHashSet(StringComparer.Ordinal));
        }
    }

    public async Task InstallAsync(IReadOnlyList<string> packages, Func<string, Task>? progress, CancellationToken cancellationToken)
    {
        var lacking = packages.Where(p => !repository.Contains(p)).ToList();
        if (lacking.Count > 0)
        {
            throw AptPackageManager.InstallFailed(packages, new ProcessResult(100, "", AptErrors(lacking), TimeSpan.Zero));
        }

        if (Interrupted is not null)
        {
            throw new InvalidOperationException("E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem.");
        }

        if (progress is not null)
        {
            await progress($"dpkg is unpacking ({packages.Count} newly installed)");
        }

        lock (_gate)
        {
            Installs.Add(string.Join(' ', packages));
            Installed.UnionWith(packages);
        }
    }

    public Task<string?> RepairAsync(CancellationToken cancellationToken)
    {
        var repaired = Interrupted is null ? null : $"repaired an interrupted dpkg run ({Interrupted}): dpkg --configure -a, apt-get -f install";
        Interrupted = null;
        return Task.FromResult(repaired);
    }

    public Task<IReadOnlyList<string>> UnitsOfAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(packages.SelectMany(p => Units.GetValueOrDefault(p, [])).Distinct().Order(StringComparer.Ordinal).ToList());

    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Refreshes++;
        }

        return Task.CompletedTask;
    }
}

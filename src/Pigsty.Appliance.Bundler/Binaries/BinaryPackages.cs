using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Locking;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Net;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>The binaries step: each enabled component's asset is acquired (checked against the recipe's and the lock's SHA-256)
/// and wrapped into a .deb in the cache; nothing is written to the repo, so a failure leaves the output as it was.</summary>
public sealed class BinaryPackages(Downloader downloader, GitHubOptions github, ILogger<BinaryPackages> logger)
{
    /// <summary>Builds every component in <paramref name="components"/>; the first failure stops with an error naming it and its source.</summary>
    public async Task<BinaryBuild> BuildAsync(IReadOnlyList<BinarySpec> components, BinaryBuildOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequirePins)
        {
            var unpinned = components.Where(c => Pin(options.Lock, c) is null).ToList();
            if (unpinned.Count > 0)
            {
                throw new InputException(options.LockPath, "--locked needs a pinned SHA-256 for " +
                    string.Join(", ", unpinned.Select(c => $"{c.Label} version {c.Version}")) +
                    "; build once without --locked (or with --update) to pin it");
            }
        }

        var cache = new PackageCache(options.CacheDirectory);
        using var releases = new GitHubReleases(github, downloader.Retry);
        var assets = new BinaryAssets(downloader, releases, cache);
        var packager = new BinaryPackager(cache);
        var records = new List<Apt.PackageRecord>();
        var pins = new List<LockedBinary>();
        foreach (var component in components)
        {
            var pin = Pin(options.Lock, component);
            var expectations = new List<AssetExpectation>();
            if (component.Sha256 is { } pinned)
            {
                expectations.Add(new AssetExpectation(pinned, $"the recipe's sha256", pin?.Asset));
            }

            if (pin is not null && !options.AcceptChanges)
            {
                expectations.Add(new AssetExpectation(pin.Sha256, $"{options.LockPath} (run with --update to accept a new asset)", pin.Asset));
            }

            var asset = await assets.AcquireAsync(component, expectations, cancellationToken);
            var record = await packager.PackageAsync(component, asset, options.Architecture, cancellationToken);
            logger.LogInformation("{Component}: {Asset} ({Origin}{Cached}) wrapped as {Deb}", component.Label, asset.Name, asset.Origin,
                asset.FromCache ? ", from cache" : "", record.DebFileName);
            records.Add(record);
            pins.Add(pin is not null && string.Equals(pin.Sha256, asset.Sha256, StringComparison.OrdinalIgnoreCase)
                ? pin
                : new LockedBinary(component.Name, component.Version, component.Source.LockLabel, asset.Name, asset.Size, asset.Sha256));
        }

        return new BinaryBuild(records, pins);
    }

    /// <summary>The lock's binaries after a build: the built components' pins, the pins of recipe components not built this time
    /// (disabled) kept, pins of components the recipe no longer has dropped; null when there are none.</summary>
    public static IReadOnlyList<LockedBinary>? MergePins(LockFile? existing, IReadOnlyList<BinarySpec> recipeComponents, IReadOnlyList<LockedBinary> built)
    {
        ArgumentNullException.ThrowIfNull(recipeComponents);
        ArgumentNullException.ThrowIfNull(built);
        var kept = (existing?.Binaries ?? []).Where(p => recipeComponents.Any(c => c.Name == p.Name) && built.All(b => b.Name != p.Name));
        var merged = built.Concat(kept).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        return merged.Count > 0 ? merged : null;
    }

    /// <summary>The lock's pin for this component's name and version, or null.</summary>
    private static LockedBinary? Pin(LockFile? lockFile, BinarySpec component) =>
        lockFile?.FindBinary(component.Name) is { } pin && pin.Version == component.Version ? pin : null;
}

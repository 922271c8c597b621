using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Locking;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>Lock files against a universe: what a resolution pins, and the exact records a lock names.</summary>
public static class LockResolver
{
    /// <summary>The lock a set of resolved records pins.</summary>
    public static LockFile From(string recipe, string architecture, IEnumerable<string> requested, IEnumerable<PackageRecord> records) =>
        new(recipe, architecture, requested.Distinct(StringComparer.Ordinal).ToList(),
            records.Select(r => new LockedPackage(r.Name, r.Version, r.Architecture, r.Filename, r.Size, r.Sha256, r.Source.Upstream)).ToList());

    /// <summary>The exact records the lock names; every locked version gone upstream (or request the lock lacks) is listed in one error.</summary>
    public static IReadOnlyList<PackageRecord> Reproduce(LockFile lockFile, string lockPath, IReadOnlyList<string> requested, PackageUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        ArgumentNullException.ThrowIfNull(universe);
        var notLocked = requested.Except(lockFile.Requested, StringComparer.Ordinal).ToList();
        if (notLocked.Count > 0)
        {
            throw new InputException(lockPath,
                $"the recipe requests {string.Join(", ", notLocked)}, which the lock does not cover; run with --update to re-resolve");
        }

        var records = new List<PackageRecord>();
        var gone = new List<string>();
        foreach (var locked in lockFile.Packages)
        {
            var versions = universe.Versions(locked.Name);

            // Only the few entries of the locked name=version/arch are read whole, to compare their SHA-256.
            var match = versions
                .Where(v => v.Entry.Version == locked.Version && v.Entry.Architecture == locked.Architecture)
                .Select(v => v.Entry.ReadRecord())
                .FirstOrDefault(r => string.Equals(r.Sha256, locked.Sha256, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                var available = versions.Count == 0 ? "none" : string.Join(", ", versions.Select(v => v.Entry.Version).Distinct());
                gone.Add($"{locked} (upstream {locked.Upstream}; available: {available})");
            }
            else
            {
                records.Add(match);
            }
        }

        return gone.Count == 0
            ? records
            : throw new UpstreamException(
                $"{lockPath}: {gone.Count} locked package(s) are no longer offered upstream; run with --update to move to the current versions:\n  "
                + string.Join("\n  ", gone));
    }
}

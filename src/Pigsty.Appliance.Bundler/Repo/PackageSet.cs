using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>The packages of one repo: one record per flat-repo file name, in a fixed order, with conflicts rejected.</summary>
public static class PackageSet
{
    /// <summary>Sorts by name, version and architecture (ordinal), drops exact duplicates, and rejects two contents under one file name.</summary>
    public static IReadOnlyList<PackageRecord> Normalize(IEnumerable<PackageRecord> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var byFile = new Dictionary<string, PackageRecord>(StringComparer.Ordinal);
        foreach (var package in packages)
        {
            var file = package.DebFileName;
            if (file.Contains('/', StringComparison.Ordinal) || file.StartsWith('.') || !Checksums.IsSha256(package.Sha256) || package.Size < 0)
            {
                throw new IntegrityException($"{package}: unusable index entry (file name '{file}', size {package.Size}, SHA-256 '{package.Sha256}')");
            }

            if (byFile.TryGetValue(file, out var seen))
            {
                if (!string.Equals(seen.Sha256, package.Sha256, StringComparison.OrdinalIgnoreCase) || seen.Size != package.Size)
                {
                    throw new IntegrityException(
                        $"{file}: two different contents for one file name ({seen.Url} has SHA-256 {seen.Sha256}, {package.Url} has {package.Sha256})");
                }

                continue;
            }

            byFile.Add(file, package);
        }

        return byFile.Values
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Version, StringComparer.Ordinal)
            .ThenBy(p => p.Architecture, StringComparer.Ordinal)
            .ToList();
    }
}

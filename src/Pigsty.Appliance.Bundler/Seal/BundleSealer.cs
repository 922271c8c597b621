using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Seal;

/// <summary>Seals a finished repo: writes <c>manifest.json</c>, then <c>repo_complete</c> last and atomically.</summary>
public sealed class BundleSealer(ILogger<BundleSealer> logger)
{
    /// <summary>Seals <paramref name="repoDir"/>; <paramref name="knownFiles"/> (from fetch and index) spare re-hashing files whose size still matches.</summary>
    /// <remarks>The marker is removed first, so a run that stops anywhere before the end leaves no <c>repo_complete</c>.</remarks>
    public async Task<SealResult> SealAsync(string repoDir, BundleInfo bundle, IReadOnlyList<PackageRecord> packages,
        IEnumerable<RepoFile> knownFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(knownFiles);
        var clock = Stopwatch.StartNew();
        RepoLayout.Invalidate(repoDir);
        var set = PackageSet.Normalize(packages);
        var known = new Dictionary<string, RepoFile>(StringComparer.Ordinal);
        foreach (var file in knownFiles)
        {
            known[file.Name] = file;
        }

        var names = ListFiles(repoDir);
        foreach (var expected in known.Keys.Concat(set.Select(p => p.DebFileName)))
        {
            if (!names.Contains(expected))
            {
                throw new IntegrityException($"{Path.Combine(repoDir, expected)} is missing: an earlier step wrote or fetched it, now it is gone");
            }
        }

        var files = new ConcurrentBag<RepoFile>();
        var hashed = 0;
        await Parallel.ForEachAsync(names,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (name, token) =>
            {
                var path = Path.Combine(repoDir, name);
                var size = new FileInfo(path).Length;
                if (known.TryGetValue(name, out var vouched) && vouched.Size == size)
                {
                    files.Add(vouched with { Sha256 = vouched.Sha256.ToLowerInvariant() });
                    return;
                }

                Interlocked.Increment(ref hashed);
                files.Add(new RepoFile(name, size, await Checksums.Sha256FileAsync(path, token)));
            });

        var manifest = BundleManifest.Render(bundle, set, files);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(repoDir, RepoLayout.Manifest), manifest, cancellationToken);
        files.Add(new RepoFile(RepoLayout.Manifest, manifest.Length, Checksums.Sha256(manifest)));
        var sorted = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        // Last, and atomically: Pigsty treats the marker's presence as "this repo is whole".
        await AtomicFile.WriteAllTextAsync(Path.Combine(repoDir, RepoLayout.Marker), ChecksumList.Format(sorted), cancellationToken);
        var result = new SealResult(sorted, sorted.Count - 1 - hashed, hashed, clock.Elapsed);
        logger.LogInformation("sealed {RepoDir}: {Files} files ({Reused} hashes reused, {Hashed} computed) in {Elapsed}",
            repoDir, sorted.Count, result.Reused, result.Hashed, result.Elapsed);
        return result;
    }

    /// <summary>The repo's files except manifest and marker; leftover temp files of a killed run are removed, directories refused.</summary>
    private HashSet<string> ListFiles(string repoDir)
    {
        if (!Directory.Exists(repoDir))
        {
            throw new IntegrityException($"{repoDir}: the repo directory does not exist");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(repoDir).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo || entry.LinkTarget is not null)
            {
                throw new IntegrityException($"{entry.FullName}: a flat repo holds only regular files");
            }

            if (RepoLayout.IsLeftoverTemp(entry.Name))
            {
                logger.LogInformation("removing {File}, left over from an interrupted run", entry.FullName);
                entry.Delete();
            }
            else if (entry.Name is not (RepoLayout.Manifest or RepoLayout.Marker))
            {
                names.Add(entry.Name);
            }
        }

        return names;
    }
}

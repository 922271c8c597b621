using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>Writes a flat apt repository's metadata (Packages, Packages.gz, Release, optionally signed) beside the .deb files.</summary>
public sealed class FlatRepoWriter(IProcessRunner runner, ILogger<FlatRepoWriter> logger)
{
    /// <summary>Writes the index for <paramref name="packages"/>, which must already be in <paramref name="repoDir"/> under their flat names.</summary>
    public async Task<RepoIndex> WriteAsync(string repoDir, IReadOnlyList<PackageRecord> packages, RepoOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        RepoLayout.Invalidate(repoDir);
        foreach (var stale in RepoLayout.SigningFiles)
        {
            File.Delete(Path.Combine(repoDir, stale));
        }

        var sorted = PackageSet.Normalize(packages);
        CheckPresent(repoDir, sorted);
        var written = new List<RepoFile>();

        var packagesBytes = AtomicFile.Utf8.GetBytes(PackagesIndex.Render(sorted));
        written.Add(await WriteFileAsync(repoDir, RepoLayout.Packages, packagesBytes, cancellationToken));
        written.Add(await WriteFileAsync(repoDir, RepoLayout.PackagesGz, Gzip(packagesBytes), cancellationToken));

        var architectures = sorted.Select(p => p.Architecture).DefaultIfEmpty("all");
        var release = AtomicFile.Utf8.GetBytes(ReleaseWriter.Render(options, architectures, written));
        written.Add(await WriteFileAsync(repoDir, RepoLayout.Release, release, cancellationToken));

        string? fingerprint = null;
        if (options.Signing is { } signing)
        {
            var signed = await new ReleaseSigner(runner).SignAsync(release, signing, cancellationToken);
            fingerprint = signed.Fingerprint;
            written.Add(await WriteFileAsync(repoDir, RepoLayout.InRelease, signed.InRelease, cancellationToken));
            written.Add(await WriteFileAsync(repoDir, RepoLayout.ReleaseGpg, signed.DetachedSignature, cancellationToken));
            written.Add(await WriteFileAsync(repoDir, RepoLayout.PublicKey, signed.PublicKey, cancellationToken));
            logger.LogInformation("signed {Release} with key {Fingerprint}", RepoLayout.Release, fingerprint);
        }

        logger.LogInformation("indexed {Count} packages in {RepoDir}", sorted.Count, repoDir);
        return new RepoIndex(written, sorted.Count, fingerprint);
    }

    /// <summary>A stat per package (no reading): the index must never list a file the repo does not hold.</summary>
    private static void CheckPresent(string repoDir, IReadOnlyList<PackageRecord> packages)
    {
        foreach (var package in packages)
        {
            var file = new FileInfo(Path.Combine(repoDir, package.DebFileName));
            if (!file.Exists)
            {
                throw new IntegrityException($"{package}: {file.FullName} is missing; fetch the packages before writing the index");
            }

            if (file.Length != package.Size)
            {
                throw new IntegrityException($"{package}: {file.FullName} is {file.Length} bytes, the index lists {package.Size}");
            }
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static async Task<RepoFile> WriteFileAsync(string repoDir, string name, byte[] content, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllBytesAsync(Path.Combine(repoDir, name), content, cancellationToken);
        return new RepoFile(name, content.Length, Checksums.Sha256(content));
    }
}

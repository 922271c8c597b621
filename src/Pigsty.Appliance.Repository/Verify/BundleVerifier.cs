using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Archives;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>Checks a bundle (directory, .tgz or .tar.zst) end to end: marker, every digest, indexes, Release, signatures, manifest, sidecar.</summary>
public sealed class BundleVerifier(IProcessRunner runner, ILogger<BundleVerifier> logger)
{
    private const int MaxProblemsShown = 25;

    /// <summary>A tarball may decompress to this many times its size (plus the slack): .deb files are compressed already.</summary>
    private const long MaxExpansion = 16;

    /// <summary>Room for the indexes, which do compress well, in a small bundle.</summary>
    private const long ExpansionSlack = 64L << 20;

    /// <summary>Verifies <paramref name="path"/>; every problem found is reported in one <see cref="IntegrityException"/>.</summary>
    public async Task<VerifyReport> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var clock = Stopwatch.StartNew();
        var full = Path.GetFullPath(path);
        var (kind, snapshot) = Directory.Exists(full)
            ? ("directory", await DirectorySnapshotReader.ReadAsync(full, cancellationToken))
            : File.Exists(full)
                ? await ReadArchiveAsync(full, cancellationToken)
                : throw new InputException(path, "no such bundle file or directory");

        var problems = new List<string>(snapshot.Problems);
        BundleChecks.Marker(snapshot, problems);
        var packages = BundleChecks.Packages(snapshot, problems);
        if (snapshot.Content(RepoLayout.Release) is { } release)
        {
            BundleChecks.Release(snapshot, RepoLayout.Release, release, problems);
        }
        else
        {
            problems.Add($"{RepoLayout.Release} is missing");
        }

        var signed = await new SignatureChecks(runner).RunAsync(snapshot, problems, cancellationToken);
        BundleChecks.Manifest(snapshot, problems);
        var sidecarChecked = kind != "directory" && await CheckSidecarAsync(full, snapshot, problems, cancellationToken);

        if (problems.Count > 0)
        {
            var shown = problems.Take(MaxProblemsShown).Select(p => "\n  - " + p);
            var more = problems.Count > MaxProblemsShown ? $"\n  … and {problems.Count - MaxProblemsShown} more" : "";
            throw new IntegrityException($"{path} failed verification ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):{string.Concat(shown)}{more}");
        }

        var report = new VerifyReport(full, kind, snapshot.Files.Count, packages, snapshot.Files.Values.Sum(f => f.Size), signed,
            sidecarChecked, clock.Elapsed);
        logger.LogInformation("verified {Path}: {Files} files, {Packages} packages in {Elapsed}", full, report.Files, packages, report.Elapsed);
        return report;
    }

    private static async Task<(string Kind, BundleSnapshot Snapshot)> ReadArchiveAsync(string path, CancellationToken cancellationToken)
    {
        var snapshot = new BundleSnapshot();
        var label = Path.GetFileName(path);
        var magic = new byte[4];
        await using (var probe = File.OpenRead(path))
        {
            await probe.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        }

        if (magic[0] == 0x1f && magic[1] == 0x8b)
        {
            await ReadTarballAsync(path, label, snapshot, s => ArchiveReader.Decompress(ArchiveFormat.TarGz, s), cancellationToken);
            return ("tgz", snapshot);
        }

        if (magic is [0x28, 0xb5, 0x2f, 0xfd] || path.EndsWith(".zst", StringComparison.Ordinal))
        {
            await ReadTarballAsync(path, label, snapshot, s => ArchiveReader.Decompress(ArchiveFormat.TarZst, s), cancellationToken);
            return ("tar.zst", snapshot);
        }

        if (path.EndsWith(".tgz", StringComparison.Ordinal) || path.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            snapshot.Problems.Add($"{label} is not gzip data (corrupt header)");
            return ("tgz", snapshot);
        }

        throw new InputException(path, "not a bundle: expected a directory, a .tgz or a .tar.zst");
    }

    /// <summary>
    /// One streaming pass over the file, in-process and with nothing written to disk: its own SHA-256 (for the sidecar) and each
    /// entry's are computed while it decompresses, and more than <see cref="MaxExpansion"/> times its size stops it.
    /// </summary>
    private static async Task ReadTarballAsync(string path, string label, BundleSnapshot snapshot, Func<Stream, Stream> decompress,
        CancellationToken cancellationToken)
    {
        using var sha = SHA256.Create();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var limit = file.Length * MaxExpansion + ExpansionSlack;
        await using var hashing = new CryptoStream(file, sha, CryptoStreamMode.Read, leaveOpen: true);
        await using var decompressed = decompress(hashing);
        await using var tar = new CountingStream(decompressed, limit,
            $"{path} failed verification: {label} decompresses to more than {limit} bytes ({MaxExpansion} times its size plus "
            + $"{ExpansionSlack >> 20} MiB); a bundle of .deb files barely compresses, so this one is corrupt or hostile");
        var before = snapshot.Problems.Count;
        await TarSnapshotReader.ReadAsync(tar, label, snapshot, cancellationToken);
        if (snapshot.Problems.Count == before)
        {
            try
            {
                // Past the tar end marker: the rest of the compressed stream (padding, trailer) must decode too.
                await tar.CopyToAsync(Stream.Null, cancellationToken);
                await hashing.CopyToAsync(Stream.Null, cancellationToken);
                snapshot.ArchiveSha256 = Convert.ToHexStringLower(sha.Hash!);
                return;
            }
            catch (Exception e) when (TarSnapshotReader.IsCorruption(e))
            {
                snapshot.Problems.Add($"{label} is corrupt after the tar end marker: {e.Message}");
            }
        }

        snapshot.ArchiveSha256 = await Checksums.Sha256FileAsync(path, cancellationToken);
    }

    /// <summary>Checks <c>bundle.sha256</c> when present; true when it was there and matched.</summary>
    private static async Task<bool> CheckSidecarAsync(string path, BundleSnapshot snapshot, List<string> problems, CancellationToken cancellationToken)
    {
        var sidecar = path + ".sha256";
        if (!File.Exists(sidecar))
        {
            return false;
        }

        var name = Path.GetFileName(sidecar);
        var text = await File.ReadAllTextAsync(sidecar, AtomicFile.Utf8, cancellationToken);
        if (!ChecksumList.TryParse(text, out var entries, out var error))
        {
            problems.Add($"{name}: {error}");
            return false;
        }

        var bundleName = Path.GetFileName(path);
        if (entries is not [var entry] || entry.Name != bundleName)
        {
            problems.Add($"{name}: expected one line for {bundleName}, found {string.Join(", ", entries.Select(e => e.Name).DefaultIfEmpty("none"))}");
            return false;
        }

        if (entry.Sha256 != snapshot.ArchiveSha256)
        {
            problems.Add($"{name}: lists SHA-256 {entry.Sha256} for {bundleName}, the file's is {snapshot.ArchiveSha256}");
            return false;
        }

        return true;
    }
}

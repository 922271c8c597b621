using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Sealed;
using SharpCompress.Compressors.ZStandard;
using SharpCompress.Compressors.ZStandard.Unsafe;

namespace Pigsty.Appliance.Bundler.Pack;

/// <summary>Packs a sealed repo into a deterministic tarball under <c>pigsty/</c> (marker last), then writes its <c>.sha256</c>; the tar
/// streams through gzip (.NET) or zstd (SharpCompress) straight into the file, in-process, with no temp tar and no host compressor.</summary>
public sealed class BundlePacker(ILogger<BundlePacker> logger)
{
    private const UnixFileMode FileMode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode755 = FileMode644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const int BufferSize = 1 << 20;

    /// <summary>Writes <paramref name="output"/> (through a temp file and a rename) and <c>output.sha256</c> beside it.</summary>
    public async Task<PackResult> PackAsync(string repoDir, string output, PackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var files = SealedFiles(repoDir);
        var path = Path.GetFullPath(output);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var sidecar = path + ".sha256";
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        string sha256;
        try
        {
            Func<Stream, Stream> compress = options.Format == PackFormat.TarZst
                ? hashing => Zstd(hashing, options)
                : hashing => new GZipStream(hashing, options.GzipLevel, leaveOpen: true);
            sha256 = await WriteCompressedTarAsync(temp, compress, repoDir, files, options.Timestamp, cancellationToken);
            // Only now that the new tarball is whole: a failed pack keeps the old tarball and its matching .sha256,
            // and between these two steps there is no .sha256 that names the wrong content.
            File.Delete(sidecar);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        var size = new FileInfo(path).Length;
        await AtomicFile.WriteAllTextAsync(sidecar, ChecksumList.Format([new RepoFile(Path.GetFileName(path), size, sha256)]), cancellationToken);
        var result = new PackResult(path, sidecar, size, sha256, files.Count + 1, files.Sum(f => f.Length), clock.Elapsed);
        logger.LogInformation("packed {Entries} entries ({Input} bytes) into {Path} ({Size} bytes) in {Elapsed}",
            result.Entries, result.InputBytes, path, size, result.Elapsed);
        return result;
    }

    /// <summary>The repo's files, sorted, with <c>repo_complete</c> last so an interrupted extraction never yields the marker.</summary>
    private static List<FileInfo> SealedFiles(string repoDir)
    {
        var root = new DirectoryInfo(repoDir);
        if (!File.Exists(Path.Combine(repoDir, RepoLayout.Marker)))
        {
            throw new IntegrityException($"{Path.Combine(root.FullName, RepoLayout.Marker)} is missing: seal the repo before packing it");
        }

        var entries = root.EnumerateFileSystemInfos().ToList();
        if (entries.FirstOrDefault(e => e is DirectoryInfo || e.LinkTarget is not null) is { } odd)
        {
            throw new IntegrityException($"{odd.FullName}: a flat repo holds only regular files");
        }

        return entries.Cast<FileInfo>()
            .OrderBy(f => f.Name == RepoLayout.Marker)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The tar of <paramref name="files"/> written through <paramref name="compress"/> into <paramref name="temp"/> as one stream
    /// (no intermediate tar), hashed on its way to disk; returns the SHA-256 of what was written.</summary>
    private static async Task<string> WriteCompressedTarAsync(string temp, Func<Stream, Stream> compress, string repoDir, List<FileInfo> files,
        DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        using var sha = SHA256.Create();
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        await using (var hashing = new CryptoStream(file, sha, CryptoStreamMode.Write, leaveOpen: true))
        {
            await using (var compressed = compress(hashing))
            {
                await WriteTarAsync(compressed, repoDir, files, timestamp, cancellationToken);
            }

            await hashing.FlushFinalBlockAsync(cancellationToken);
        }

        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        return Convert.ToHexStringLower(sha.Hash!);
    }

    /// <summary>A zstd frame with a content checksum, as the zstd program writes by default. Any worker count of one or more gives the same
    /// bytes (zstd's multi-threaded format does not depend on it), so the bundle does not change with the build host's cores.</summary>
    private static CompressionStream Zstd(Stream destination, PackOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ZstdLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ZstdLevel, 19);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ZstdThreads);
        var zstd = new CompressionStream(destination, options.ZstdLevel, BufferSize, leaveOpen: true);
        try
        {
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, options.ZstdThreads == 0 ? Environment.ProcessorCount : options.ZstdThreads);
            return zstd;
        }
        catch
        {
            zstd.Dispose();
            throw;
        }
    }

    private static async Task WriteTarAsync(Stream destination, string repoDir, List<FileInfo> files, DateTimeOffset timestamp,
        CancellationToken cancellationToken)
    {
        // GNU format: long names without PAX headers, whose names .NET derives from the process id (not reproducible).
        await using var tar = new TarWriter(destination, TarEntryFormat.Gnu, leaveOpen: true);
        await tar.WriteEntryAsync(Entry(TarEntryType.Directory, RepoLayout.RootName + "/", DirectoryMode755, timestamp), cancellationToken);
        foreach (var file in files)
        {
            var entry = Entry(TarEntryType.RegularFile, $"{RepoLayout.RootName}/{file.Name}", FileMode644, timestamp);
            await using var content = new FileStream(Path.Combine(repoDir, file.Name), FileMode.Open, FileAccess.Read, FileShare.Read,
                BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            entry.DataStream = content;
            await tar.WriteEntryAsync(entry, cancellationToken);
        }
    }

    private static GnuTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset timestamp) =>
        new(type, name)
        {
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = "root",
            GroupName = "root",
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(timestamp.ToUnixTimeSeconds()),
        };
}

using System.Formats.Tar;
using System.Security.Cryptography;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Archives;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>Reads a bundle tarball as a stream: hashes each entry while reading it, nothing is extracted to disk.</summary>
internal static class TarSnapshotReader
{
    /// <summary>Metadata files larger than this are hashed but not kept (a real Packages index is a few MiB).</summary>
    public const long MaxMetadataSize = 256L << 20;

    /// <summary>Reads every entry of <paramref name="tar"/>; truncation and corruption become problems naming <paramref name="label"/>.</summary>
    public static async Task ReadAsync(Stream tar, string label, BundleSnapshot snapshot, CancellationToken cancellationToken)
    {
        var prefix = RepoLayout.RootName + "/";
        var entries = 0;
        try
        {
            await using var reader = new TarReader(tar, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                entries++;
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (entry.EntryType == TarEntryType.Directory && name.TrimEnd('/') == RepoLayout.RootName)
                {
                    continue;
                }

                var file = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : "";
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    || file.Length == 0 || file.Contains('/', StringComparison.Ordinal))
                {
                    snapshot.Problems.Add($"{label}: unexpected entry '{entry.Name}' ({entry.EntryType}); a bundle holds only files under {prefix}");
                    continue;
                }

                var read = await HashEntryAsync(file, entry, cancellationToken);
                if (read.Size != entry.Length)
                {
                    snapshot.Problems.Add($"{label} is truncated or corrupt: it ends inside {file} ({read.Size} of {entry.Length} bytes)");
                    return;
                }

                if (!snapshot.Files.TryAdd(file, read))
                {
                    snapshot.Problems.Add($"{label}: {file} appears twice");
                }
            }
        }
        catch (Exception e) when (IsCorruption(e))
        {
            snapshot.Problems.Add($"{label} is truncated or corrupt (after {entries} entries): {e.Message}");
        }
    }

    /// <summary>True for what a decompressor or the tar reader throws on damaged data (SharpCompress's zstd exceptions included).</summary>
    public static bool IsCorruption(Exception e) => ArchiveReader.IsDamage(e) || e is IOException;

    private static async Task<SnapshotFile> HashEntryAsync(string name, TarEntry entry, CancellationToken cancellationToken)
    {
        var data = entry.DataStream ?? Stream.Null;
        if (RepoLayout.MetadataFiles.Contains(name) && entry.Length <= MaxMetadataSize)
        {
            using var buffer = new MemoryStream();
            await data.CopyToAsync(buffer, cancellationToken);
            var content = buffer.ToArray();
            return new SnapshotFile(name, content.Length, Checksums.Sha256(content), content);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 16];
        long size = 0;
        int n;
        while ((n = await data.ReadAsync(chunk, cancellationToken)) > 0)
        {
            hash.AppendData(chunk, 0, n);
            size += n;
        }

        return new SnapshotFile(name, size, Convert.ToHexStringLower(hash.GetHashAndReset()), null);
    }
}

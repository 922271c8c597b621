using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using SharpCompress.Common;
using SharpCompress.Readers;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Takes the named members out of a .tar.gz, .tar.xz, .tar.zst or .zip asset (recognised by content, not name) into a work
/// directory, read in-process with SharpCompress: no host gzip, xz or zstd, and nothing but the named members written.</summary>
public static class AssetArchive
{
    /// <summary>Member → extracted file for each of <paramref name="files"/>; a member matches an entry with that path or ending in "/member",
    /// and must match exactly one regular file.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ExtractAsync(string asset, IReadOnlyList<BinaryFile> files, string workDirectory,
        string label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var wanted = files.Select(f => f.Member).ToList();
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var extracted = new Dictionary<string, string>(StringComparer.Ordinal);
        Directory.CreateDirectory(workDirectory);

        async Task Offer(string entryName, Func<string, Task> extract)
        {
            var name = entryName.StartsWith("./", StringComparison.Ordinal) ? entryName[2..] : entryName;
            string? copy = null;
            foreach (var member in wanted.Where(m => name == m || name.EndsWith("/" + m, StringComparison.Ordinal)))
            {
                var hits = found.TryGetValue(member, out var list) ? list : found[member] = [];
                hits.Add(name);
                if (hits.Count == 1)
                {
                    // An entry's data can be read once: members naming the same entry (two install paths of one file) share the copy.
                    if (copy is null)
                    {
                        copy = Path.Combine(workDirectory, $"member-{extracted.Count}");
                        await extract(copy);
                    }

                    extracted[member] = copy;
                }
            }
        }

        await using (var stream = File.OpenRead(asset))
        {
            var format = await FormatAsync(stream, cancellationToken) ?? throw new IntegrityException(
                $"{label}: the asset is not a .tar.gz, .tar.xz, .tar.zst or .zip archive, but the recipe's 'install' names members of one " +
                "(give 'install' a path, or nothing, for a bare binary)");
            await ReadAsync(stream, format, Offer, label, cancellationToken);
        }

        var problems = wanted.Select(m => found.GetValueOrDefault(m) switch
        {
            null => $"no file '{m}'",
            [_] => null,
            var hits => $"'{m}' matches {hits.Count} files ({string.Join(", ", hits)})",
        }).OfType<string>().ToList();
        return problems.Count == 0
            ? extracted
            : throw new IntegrityException($"{label}: the archive has {string.Join("; ", problems)}");
    }

    /// <summary>The archive format the first bytes announce (".tar.gz", ".tar.xz", ".tar.zst", ".zip"), or null; the stream is rewound.</summary>
    private static async Task<string?> FormatAsync(Stream stream, CancellationToken cancellationToken)
    {
        var magic = new byte[6];
        var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = 0;
        return magic.AsSpan(0, read) switch
        {
            [0x1f, 0x8b, ..] => ".tar.gz",
            [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00] => ".tar.xz",
            [0x28, 0xb5, 0x2f, 0xfd, ..] => ".tar.zst",
            [(byte)'P', (byte)'K', 3, 4, ..] => ".zip",
            _ => null,
        };
    }

    /// <summary>Offers each regular file of the archive, streamed by SharpCompress (which undoes gzip, xz and zstd itself).</summary>
    private static async Task ReadAsync(Stream stream, string format, Func<string, Func<string, Task>, Task> offer, string label,
        CancellationToken cancellationToken)
    {
        var expected = format == ".zip" ? ArchiveType.Zip : ArchiveType.Tar;
        var damaged = $"{label}: the {format} asset is damaged{(expected == ArchiveType.Tar ? " or holds no tar archive" : "")}";
        try
        {
            await using var reader = await ReaderFactory.OpenAsyncReader(stream, new ReaderOptions { LeaveStreamOpen = true }, cancellationToken);
            if (reader.Type != expected)
            {
                throw new IntegrityException($"{damaged} (it reads as {reader.Type})");
            }

            while (await reader.MoveToNextEntryAsync(cancellationToken))
            {
                var entry = reader.Entry;
                if (!entry.IsDirectory && entry.LinkTarget is null && entry.Key is { Length: > 0 } name)
                {
                    await offer(name, async target =>
                    {
                        await using var data = await reader.OpenEntryStreamAsync(cancellationToken);
                        await CopyAsync(data, target, cancellationToken);
                    });
                }
            }
        }
        catch (Exception e) when (e is SharpCompressException or InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new IntegrityException($"{damaged} ({e.Message})");
        }
    }

    private static async Task CopyAsync(Stream data, string target, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await data.CopyToAsync(output, cancellationToken);
    }
}

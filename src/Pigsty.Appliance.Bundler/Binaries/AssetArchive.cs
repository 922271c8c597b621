using System.Formats.Tar;
using System.IO.Compression;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Takes the named members out of a .tar.gz or .zip asset (recognised by content, not name) into a work directory.</summary>
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
            var magic = new byte[4];
            var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
            stream.Position = 0;
            if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                await ReadTarGzAsync(stream, Offer, label, cancellationToken);
            }
            else if (read == 4 && magic is [(byte)'P', (byte)'K', 3, 4])
            {
                await ReadZipAsync(stream, Offer, label, cancellationToken);
            }
            else
            {
                throw new IntegrityException($"{label}: the asset is neither a .tar.gz nor a .zip archive, but the recipe's 'install' names members of one " +
                    "(give 'install' a path, or nothing, for a bare binary)");
            }
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

    private static async Task ReadTarGzAsync(Stream stream, Func<string, Func<string, Task>, Task> offer, string label, CancellationToken cancellationToken)
    {
        try
        {
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
                {
                    await offer(entry.Name, target => CopyAsync(data, target, cancellationToken));
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new IntegrityException($"{label}: the .tar.gz asset is damaged ({e.Message})");
        }
    }

    private static async Task ReadZipAsync(Stream stream, Func<string, Func<string, Task>, Task> offer, string label, CancellationToken cancellationToken)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                await offer(entry.FullName, async target =>
                {
                    await using var data = entry.Open();
                    await CopyAsync(data, target, cancellationToken);
                });
            }
        }
        catch (InvalidDataException e)
        {
            throw new IntegrityException($"{label}: the .zip asset is damaged ({e.Message})");
        }
    }

    private static async Task CopyAsync(Stream data, string target, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await data.CopyToAsync(output, cancellationToken);
    }
}

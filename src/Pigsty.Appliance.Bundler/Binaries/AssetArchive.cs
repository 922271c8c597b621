using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Archives;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Takes the named members out of a .tar.gz, .tar.xz, .tar.zst or .zip asset (recognised by content, not name) into a work
/// directory, read in-process by <see cref="ArchiveReader"/>: no host gzip, xz, zstd or unzip, and nothing but the named members written.</summary>
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

        async Task Offer(string name, Func<string, Task> extract)
        {
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

        var format = await ArchiveReader.DetectAsync(asset, cancellationToken) ?? throw new IntegrityException(
            $"{label}: the asset is not a .tar.gz, .tar.xz, .tar.zst or .zip archive, but the recipe's 'install' names members of one " +
            "(give 'install' a path, or nothing, for a bare binary)");
        var damaged = $"{label}: the {ArchiveReader.Extension(format)} asset is damaged{(format == ArchiveFormat.Zip ? "" : " or holds no tar archive")}";
        try
        {
            // Only regular files are members: a symlink (a zip's too, told by its Unix mode) is never taken for the file it names.
            await ArchiveReader.ReadAsync(asset, format, (entry, data) => entry.Kind == ArchiveEntryKind.File && entry.Path.Length > 0
                ? Offer(entry.Path, target => CopyAsync(data, target, cancellationToken))
                : Task.CompletedTask, cancellationToken);
        }
        catch (Exception e) when (ArchiveReader.IsDamage(e))
        {
            throw new IntegrityException($"{damaged} ({e.Message})");
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

    private static async Task CopyAsync(Stream data, string target, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await data.CopyToAsync(output, cancellationToken);
    }
}

using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Repository.Archives;

/// <summary>
/// Extracts a .tar.gz, .tar.xz, .tar.zst or .zip archive into a directory, all or nothing: entries go into a temp directory beside the
/// target, which becomes the target by a rename once every entry is in and every symlink is checked. Nothing lands outside it: no
/// absolute paths, no <c>..</c>, no writing through a symlink, and no symlink that resolves outside the tree. Modes and symlinks are kept;
/// owners are not (the files belong to whoever extracts).
/// </summary>
public static class ArchiveExtractor
{
    /// <summary>Extracts <paramref name="archive"/> into <paramref name="target"/> (replacing what is there), only the entries whose path
    /// <paramref name="include"/> accepts when given; damage or an unsafe entry is an <see cref="IntegrityException"/> naming the archive,
    /// and then the target is as it was.</summary>
    public static async Task<ArchiveExtraction> ExtractAsync(string archive, string target, Func<string, bool>? include,
        CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(archive);
        var destination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var nothing = $"nothing was extracted to {destination}";
        if (!File.Exists(source))
        {
            throw new InputException(archive, "no such archive");
        }

        var format = await ArchiveReader.DetectAsync(source, cancellationToken)
            ?? throw new IntegrityException($"{source} is not a .tar.gz, .tar.xz, .tar.zst or .zip archive; {nothing}");
        var parent = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var tree = new ExtractionTree(temp, source, nothing);
            try
            {
                await ArchiveReader.ReadAsync(source, format, (entry, data) =>
                    include is null || include(entry.Path) ? tree.AddAsync(entry, data, cancellationToken) : Task.CompletedTask, cancellationToken);
            }
            catch (Exception e) when (ArchiveReader.IsDamage(e))
            {
                throw new IntegrityException($"{source} is truncated or corrupt ({e.Message}); {nothing}");
            }

            tree.Finish();
            Replace(temp, destination);
            return new ArchiveExtraction(destination, tree.Files, tree.Links, tree.Bytes);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>The new tree takes the target's place; an old tree is moved aside first and removed after, a file or symlink removed.</summary>
    private static void Replace(string temp, string destination)
    {
        string? old = null;
        var existing = new FileInfo(destination);
        if (existing.LinkTarget is not null || existing.Exists)
        {
            existing.Delete();
        }
        else if (Directory.Exists(destination))
        {
            old = temp + ".old";
            Directory.Move(destination, old);
        }

        Directory.Move(temp, destination);
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }
}

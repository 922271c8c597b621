using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Repository.Archives;

/// <summary>The directory an extraction writes into, and the checks on every entry that make sure nothing is written outside it.</summary>
internal sealed class ExtractionTree(string root, string archive, string nothing)
{
    /// <summary>As many symlinks as Linux follows in one path resolution before it gives up (ELOOP).</summary>
    private const int MaxLinkHops = 40;

    private const UnixFileMode ImpliedDirectoryMode = (UnixFileMode)0b111_101_101;

    private readonly Dictionary<string, (UnixFileMode Mode, DateTimeOffset? Modified)> _directories = new(StringComparer.Ordinal);
    private readonly List<(string Entry, string[] Segments, string Target)> _symlinks = [];

    public int Files { get; private set; }

    public int Links { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Writes one entry, after checking its path (and a link's target) is safe.</summary>
    public async Task AddAsync(ArchiveEntry entry, Stream data, CancellationToken cancellationToken)
    {
        var segments = Segments(entry, entry.Path, "its path");
        if (segments.Length == 0)
        {
            // "./" itself: the root, which is ours.
            if (entry.Kind != ArchiveEntryKind.Directory)
            {
                throw Unsafe(entry, "names the extraction root itself");
            }

            return;
        }

        var path = MakeParents(entry, segments);
        switch (entry.Kind)
        {
            case ArchiveEntryKind.Directory:
                if (Exists(path) is { } kind && kind != ArchiveEntryKind.Directory)
                {
                    throw Unsafe(entry, $"is a directory where an earlier entry made a {Describe(kind)}");
                }

                Directory.CreateDirectory(path);
                _directories[path] = (entry.Mode, entry.Modified);
                break;

            case ArchiveEntryKind.File:
                RemoveEarlier(entry, path);
                await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                {
                    await data.CopyToAsync(output, 1 << 20, cancellationToken);
                    Bytes += output.Length;
                }

                SetModeAndTime(path, entry.Mode, entry.Modified);
                Files++;
                break;

            case ArchiveEntryKind.SymbolicLink:
                var target = entry.LinkTarget ?? "";
                if (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(target))
                {
                    throw Unsafe(entry, $"is a symlink to '{target}': only relative targets inside the archive are extracted");
                }

                RemoveEarlier(entry, path);
                File.CreateSymbolicLink(path, target);
                _symlinks.Add((entry.Path, segments[..^1], target));
                Links++;
                break;

            case ArchiveEntryKind.HardLink:
                // Copied: the file it names was extracted before it, through the same checks, and .NET has no link(2).
                var original = Path.Combine([root, .. Segments(entry, entry.LinkTarget ?? "", "its link target")]);
                if (Exists(original) != ArchiveEntryKind.File || ThroughSymlink(original) is not null)
                {
                    throw Unsafe(entry, $"is a hard link to '{entry.LinkTarget}', which is not a file extracted before it");
                }

                RemoveEarlier(entry, path);
                File.Copy(original, path);
                SetModeAndTime(path, entry.Mode, entry.Modified);
                Bytes += new FileInfo(path).Length;
                Files++;
                break;

            default:
                throw Unsafe(entry, "is a device, FIFO or other special file, which is not extracted");
        }
    }

    /// <summary>Checks every symlink against the finished tree, then gives directories their modes and times, deepest first.</summary>
    public void Finish()
    {
        foreach (var (entry, directory, target) in _symlinks)
        {
            if (!StaysInside(directory, target))
            {
                throw new IntegrityException($"{archive}: entry '{entry}' is a symlink to '{target}', which leads outside the extracted tree; {nothing}");
            }
        }

        foreach (var (path, (mode, modified)) in _directories.OrderByDescending(d => d.Key.Length))
        {
            SetModeAndTime(path, mode, modified, directory: true);
        }
    }

    /// <summary>
    /// Resolves <paramref name="target"/> from the directory <paramref name="start"/> (segments below the root) as the kernel would,
    /// following the symlinks in the tree: false when a step climbs above the root, a symlink in the way is absolute, or there are too many.
    /// </summary>
    private bool StaysInside(string[] start, string target)
    {
        var at = new List<string>(start);
        var pending = new LinkedList<string>(target.Split('/'));
        var hops = 0;
        while (pending.First is { } next)
        {
            pending.RemoveFirst();
            switch (next.Value)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (at.Count == 0)
                    {
                        return false;
                    }

                    at.RemoveAt(at.Count - 1);
                    continue;
            }

            var link = new FileInfo(Path.Combine([root, .. at, next.Value])).LinkTarget;
            if (link is null)
            {
                at.Add(next.Value);
                continue;
            }

            if (++hops > MaxLinkHops || Path.IsPathRooted(link))
            {
                return false;
            }

            foreach (var segment in Enumerable.Reverse(link.Split('/')))
            {
                pending.AddFirst(segment);
            }
        }

        return true;
    }

    /// <summary>The path's segments below the root; absolute paths, <c>..</c> and NUL are refused.</summary>
    private string[] Segments(ArchiveEntry entry, string path, string what)
    {
        if (Path.IsPathRooted(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw Unsafe(entry, $"has {what} '{path}', which is absolute or holds a NUL");
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        return segments.Contains("..") ? throw Unsafe(entry, $"has {what} '{path}', which climbs out with '..'") : segments;
    }

    /// <summary>Makes the directories above an entry (mode 755 unless an entry of their own says otherwise); a symlink or file there is refused.</summary>
    private string MakeParents(ArchiveEntry entry, string[] segments)
    {
        var path = root;
        foreach (var segment in segments[..^1])
        {
            path = Path.Combine(path, segment);
            var kind = Exists(path);
            if (kind is null)
            {
                Directory.CreateDirectory(path);
                _directories.TryAdd(path, (ImpliedDirectoryMode, null));
            }
            else if (kind != ArchiveEntryKind.Directory)
            {
                throw Unsafe(entry, $"lies under '{Path.GetRelativePath(root, path)}', which an earlier entry made a {Describe(kind.Value)}");
            }
        }

        return Path.Combine(path, segments[^1]);
    }

    /// <summary>The first symlink on the way from the root to <paramref name="path"/>, or null.</summary>
    private string? ThroughSymlink(string path)
    {
        var at = root;
        foreach (var segment in Path.GetRelativePath(root, path).Split('/'))
        {
            at = Path.Combine(at, segment);
            if (new FileInfo(at).LinkTarget is not null)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>A later entry replaces an earlier file or symlink of the same path (as tar does), never a directory.</summary>
    private void RemoveEarlier(ArchiveEntry entry, string path)
    {
        switch (Exists(path))
        {
            case ArchiveEntryKind.Directory:
                throw Unsafe(entry, "would replace a directory an earlier entry made");
            case not null:
                File.Delete(path);
                break;
        }
    }

    /// <summary>What is at <paramref name="path"/>, without following a symlink there.</summary>
    private static ArchiveEntryKind? Exists(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null ? ArchiveEntryKind.SymbolicLink
            : info.Exists ? ArchiveEntryKind.File
            : Directory.Exists(path) ? ArchiveEntryKind.Directory
            : null;
    }

    private static string Describe(ArchiveEntryKind kind) => kind switch
    {
        ArchiveEntryKind.SymbolicLink => "symlink",
        ArchiveEntryKind.Directory => "directory",
        _ => "file",
    };

    private static void SetModeAndTime(string path, UnixFileMode mode, DateTimeOffset? modified, bool directory = false)
    {
        File.SetUnixFileMode(path, mode);
        if (modified is { } time)
        {
            if (directory)
            {
                Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
            }
            else
            {
                File.SetLastWriteTimeUtc(path, time.UtcDateTime);
            }
        }
    }

    private IntegrityException Unsafe(ArchiveEntry entry, string why) => new($"{archive}: entry '{entry.Path}' {why}; {nothing}");
}

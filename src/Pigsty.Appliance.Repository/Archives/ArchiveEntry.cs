namespace Pigsty.Appliance.Repository.Archives;

/// <summary>One entry as an archive states it.</summary>
/// <param name="Path">The path inside the archive, without a leading <c>./</c> or a trailing <c>/</c>; not yet checked to be safe.</param>
/// <param name="Kind">File, directory, symlink, hard link or other.</param>
/// <param name="Mode">The Unix permission bits (with setuid, setgid and sticky).</param>
/// <param name="LinkTarget">What a symlink or hard link points to, else null.</param>
/// <param name="Length">The size of the entry's data (a file's bytes; zero for a directory or link).</param>
/// <param name="Modified">The modification time, when the archive has one in a reliable time zone.</param>
public sealed record ArchiveEntry(string Path, ArchiveEntryKind Kind, UnixFileMode Mode, string? LinkTarget, long Length, DateTimeOffset? Modified);

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>One regular file in a .deb's data archive: absolute install path, content (a file on disk or bytes) and mode.</summary>
public sealed record DebFile(string Target, string? SourcePath, byte[]? Content, UnixFileMode Mode)
{
    /// <summary>rwxr-xr-x, for binaries.</summary>
    public const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rw-r--r--, for unit files and documentation.</summary>
    public const UnixFileMode Regular = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A file whose content is on disk.</summary>
    public static DebFile FromPath(string target, string sourcePath, UnixFileMode mode) => new(target, sourcePath, null, mode);

    /// <summary>A file whose content is given.</summary>
    public static DebFile FromBytes(string target, byte[] content, UnixFileMode mode) => new(target, null, content, mode);

    /// <summary>The content as a readable stream.</summary>
    public Stream Open() => Content is { } bytes
        ? new MemoryStream(bytes, writable: false)
        : new FileStream(SourcePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
}

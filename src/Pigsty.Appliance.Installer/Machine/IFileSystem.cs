namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Files on the node; writes are atomic and report whether anything changed.</summary>
public interface IFileSystem
{
    /// <summary>Writes <paramref name="content"/> when it differs from what is there (or mode/owner differ); true when it changed.</summary>
    Task<bool> WriteAsync(string path, string content, FileSpec spec, CancellationToken cancellationToken);

    /// <summary>Writes bytes the same way (certificates, keys in binary form).</summary>
    Task<bool> WriteBytesAsync(string path, ReadOnlyMemory<byte> content, FileSpec spec, CancellationToken cancellationToken);

    /// <summary>The file's text, or null when it does not exist.</summary>
    Task<string?> ReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>True when the path exists (file or directory).</summary>
    bool Exists(string path);

    /// <summary>The files (not directories) directly in <paramref name="directory"/>, as absolute node paths, sorted; empty when it does not exist.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>Creates the directory (and parents) with this mode and owner; true when anything changed.</summary>
    Task<bool> EnsureDirectoryAsync(string path, FileSpec spec, CancellationToken cancellationToken);

    /// <summary>Removes a file if present; true when it existed.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>True when the file exists with exactly this content, mode and owner.</summary>
    Task<bool> HasAsync(string path, string content, FileSpec spec, CancellationToken cancellationToken);
}

using System.Text;

namespace Pigsty.Appliance.Core.IO;

/// <summary>Writes files so that readers see the old content or the whole new content, never a partial file.</summary>
public static class AtomicFile
{
    /// <summary>UTF-8 without a byte-order mark: the encoding of every text file we write.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes through a temp file in the same directory, flushes it to disk, renames it over <paramref name="path"/> and flushes the directory.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken, UnixFileMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (mode is { } unixMode)
        {
            options.UnixCreateMode = unixMode;
        }

        try
        {
            await using (var stream = new FileStream(temp, options))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        // Until the directory is on disk too, a power cut can undo the rename although the content was flushed.
        DirectorySync.Flush(directory);
    }

    /// <summary>Writes text as UTF-8 without BOM, atomically.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken,
        UnixFileMode? mode = null) =>
        WriteAllBytesAsync(path, Utf8.GetBytes(text), cancellationToken, mode);

    /// <summary>Writes bytes atomically.</summary>
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken,
        UnixFileMode? mode = null) =>
        WriteAsync(path, (stream, token) => stream.WriteAsync(bytes, token).AsTask(), cancellationToken, mode);
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SharpCompressZip = SharpCompress.Archives.Zip.ZipArchive;
using SharpCompress.Common;
using SharpCompress.Compressors.Xz;
using SharpCompress.Readers;
using ZstdDecompressionStream = SharpCompress.Compressors.ZStandard.DecompressionStream;

namespace Pigsty.Appliance.Repository.Archives;

/// <summary>
/// Reads .tar.gz, .tar.xz, .tar.zst and .zip archives entry by entry, in-process and with no host gzip, xz, zstd or unzip: tar by
/// System.Formats.Tar (which tells symlinks, hard links and devices apart), xz, zstd and zip by SharpCompress. A zip is read through its
/// central directory, the only place that holds an entry's Unix mode, and so the only way to tell a symlink from a file.
/// </summary>
public static class ArchiveReader
{
    /// <summary>The longest symlink target a zip entry may hold (Linux's PATH_MAX).</summary>
    public const int MaxLinkTarget = 4096;

    private const int UnixTypeMask = 0xF000;
    private const int UnixSymlink = 0xA000;
    private const int UnixDirectory = 0x4000;
    private const int UnixRegular = 0x8000;
    private const UnixFileMode DefaultFileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode DefaultDirectoryMode = (UnixFileMode)0b111_101_101;

    /// <summary>The format <paramref name="path"/>'s first bytes announce, or null when it is none of those read here.</summary>
    public static async Task<ArchiveFormat?> DetectAsync(string path, CancellationToken cancellationToken)
    {
        var magic = new byte[6];
        await using var stream = File.OpenRead(path);
        var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        return magic.AsSpan(0, read) switch
        {
            [0x1f, 0x8b, ..] => ArchiveFormat.TarGz,
            [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00] => ArchiveFormat.TarXz,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => ArchiveFormat.TarZst,
            [(byte)'P', (byte)'K', 3, 4, ..] => ArchiveFormat.Zip,
            _ => null,
        };
    }

    /// <summary>How people name the format: <c>.tar.gz</c>, <c>.tar.xz</c>, <c>.tar.zst</c>, <c>.zip</c>.</summary>
    public static string Extension(ArchiveFormat format) => format switch
    {
        ArchiveFormat.TarGz => ".tar.gz",
        ArchiveFormat.TarXz => ".tar.xz",
        ArchiveFormat.TarZst => ".tar.zst",
        _ => ".zip",
    };

    /// <summary>True for what damaged or truncated data makes a decompressor or an archive reader throw.</summary>
    public static bool IsDamage(Exception e) =>
        e is InvalidDataException or EndOfStreamException or FormatException or SharpCompressException;

    /// <summary>
    /// Calls <paramref name="visit"/> with each entry of <paramref name="path"/> and a stream of its data (empty but for files), in archive
    /// order; what the visitor leaves unread is read past. An entry whose data ends early, or a compressed stream damaged anywhere up to its
    /// end, throws what <see cref="IsDamage"/> accepts.
    /// </summary>
    public static async Task ReadAsync(string path, ArchiveFormat format, Func<ArchiveEntry, Stream, Task> visit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visit);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (format == ArchiveFormat.Zip)
        {
            await ReadZipAsync(file, visit, cancellationToken);
            return;
        }

        await using var tar = Decompress(format, file);
        await ReadTarAsync(tar, visit, cancellationToken);
    }

    /// <summary>The tar stream inside <paramref name="compressed"/>, decompressed as it is read; disposing it leaves <paramref name="compressed"/>
    /// open but for xz, whose reader has no such option.</summary>
    internal static Stream Decompress(ArchiveFormat format, Stream compressed) => format switch
    {
        ArchiveFormat.TarGz => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
        ArchiveFormat.TarXz => new XZStream(compressed),
        ArchiveFormat.TarZst => new ZstdDecompressionStream(compressed, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "a zip is no compressed tar"),
    };

    private static async Task ReadTarAsync(Stream tar, Func<ArchiveEntry, Stream, Task> visit, CancellationToken cancellationToken)
    {
        await using (var reader = new TarReader(tar, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var kind = entry.EntryType switch
                {
                    TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => ArchiveEntryKind.File,
                    TarEntryType.Directory => ArchiveEntryKind.Directory,
                    TarEntryType.SymbolicLink => ArchiveEntryKind.SymbolicLink,
                    TarEntryType.HardLink => ArchiveEntryKind.HardLink,
                    // A pax global header (git archive writes one) describes the archive, not a file in it.
                    TarEntryType.GlobalExtendedAttributes => (ArchiveEntryKind?)null,
                    _ => ArchiveEntryKind.Other,
                };
                if (kind is not { } known)
                {
                    continue;
                }

                var link = known is ArchiveEntryKind.SymbolicLink or ArchiveEntryKind.HardLink ? entry.LinkName : null;
                var item = new ArchiveEntry(Normalize(entry.Name), known, entry.Mode, link, entry.Length, entry.ModificationTime);
                await VisitAsync(item, entry.DataStream ?? Stream.Null, visit, cancellationToken);
            }
        }

        // Past the end marker: the compressed stream's own end (gzip's CRC, xz's index, zstd's checksum) must decode too.
        await tar.CopyToAsync(Stream.Null, cancellationToken);
    }

    private static async Task ReadZipAsync(FileStream file, Func<ArchiveEntry, Stream, Task> visit, CancellationToken cancellationToken)
    {
        await using var archive = await SharpCompressZip.OpenAsyncArchive(file, new ReaderOptions { LeaveStreamOpen = true }, cancellationToken);
        await foreach (var entry in archive.EntriesAsync.WithCancellation(cancellationToken))
        {
            if (entry.Key is not { Length: > 0 } key)
            {
                continue;
            }

            // The high 16 bits of the external attributes are the Unix st_mode when a Unix zip wrote them, else zero.
            var unix = (int)((uint)(entry.Attrib ?? 0) >> 16);
            var kind = (unix & UnixTypeMask) switch
            {
                UnixSymlink => ArchiveEntryKind.SymbolicLink,
                UnixDirectory => ArchiveEntryKind.Directory,
                UnixRegular => entry.IsDirectory ? ArchiveEntryKind.Directory : ArchiveEntryKind.File,
                0 => entry.IsDirectory ? ArchiveEntryKind.Directory : ArchiveEntryKind.File,
                _ => ArchiveEntryKind.Other,
            };
            var mode = unix != 0 ? (UnixFileMode)(unix & 0xFFF) : kind == ArchiveEntryKind.Directory ? DefaultDirectoryMode : DefaultFileMode;
            await using var data = kind is ArchiveEntryKind.File or ArchiveEntryKind.SymbolicLink
                ? await entry.OpenEntryStreamAsync(cancellationToken)
                : Stream.Null;
            if (kind == ArchiveEntryKind.SymbolicLink)
            {
                // A zip symlink's data is its target, as zip --symlinks (and Info-ZIP's unzip) have it.
                var target = await ReadLinkTargetAsync(data, key, cancellationToken);
                await visit(new ArchiveEntry(Normalize(key), kind, mode, target, 0, null), Stream.Null);
                continue;
            }

            await VisitAsync(new ArchiveEntry(Normalize(key), kind, mode, null, kind == ArchiveEntryKind.File ? entry.Size : 0, null), data, visit,
                cancellationToken);
        }
    }

    /// <summary>Visits, then reads what the visitor left: a file's data must be as long as its header says.</summary>
    private static async Task VisitAsync(ArchiveEntry entry, Stream data, Func<ArchiveEntry, Stream, Task> visit, CancellationToken cancellationToken)
    {
        var counted = new CountingStream(data);
        await visit(entry, counted);
        await counted.CopyToAsync(Stream.Null, cancellationToken);
        if (counted.Count != entry.Length)
        {
            throw new EndOfStreamException($"the archive ends inside {entry.Path} ({counted.Count} of {entry.Length} bytes)");
        }
    }

    private static async Task<string> ReadLinkTargetAsync(Stream data, string key, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxLinkTarget + 1];
        var read = await data.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read > MaxLinkTarget
            ? throw new InvalidDataException($"the symlink {key} has a target longer than {MaxLinkTarget} bytes")
            : Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>The entry name without a leading <c>./</c> (as <c>tar -C dir .</c> writes) or a trailing <c>/</c> (directories).</summary>
    private static string Normalize(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return name == "." ? "" : name.TrimEnd('/');
    }
}

using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Writes a binary package in deb 2.0 format (ar: debian-binary, control.tar.gz, data.tar.gz), byte-for-byte
/// deterministic: fixed mtimes, root:root, sorted entries, so the same input always gives the same SHA-256.</summary>
public static class DebWriter
{
    /// <summary>The mtime of every ar member and tar entry (2020-01-01T00:00:00Z).</summary>
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_577_836_800);

    private const UnixFileMode DirectoryMode = DebFile.Executable;

    /// <summary>Writes the .deb to <paramref name="output"/> (atomically); <paramref name="control"/> gets Installed-Size added,
    /// <paramref name="scripts"/> (postinst, postrm…) go into the control archive as executables. Returns the final control stanza.</summary>
    public static async Task<ControlStanza> WriteAsync(string output, ControlStanza control, IReadOnlyList<DebFile> files,
        IReadOnlyDictionary<string, string> scripts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(scripts);
        var sorted = files.OrderBy(f => f.Target, StringComparer.Ordinal).ToList();
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(directory);
        var dataPath = Path.Combine(directory, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.data.tmp");
        try
        {
            var (installedKiB, md5sums) = await WriteDataAsync(dataPath, sorted, cancellationToken);
            var final = control.With("Installed-Size", installedKiB.ToString(CultureInfo.InvariantCulture));
            var controlText = new StringBuilder();
            final.WriteTo(controlText);
            var controlFiles = new List<DebFile>
            {
                DebFile.FromBytes("control", AtomicFile.Utf8.GetBytes(controlText.ToString()), DebFile.Regular),
                DebFile.FromBytes("md5sums", AtomicFile.Utf8.GetBytes(md5sums), DebFile.Regular),
            };
            controlFiles.AddRange(scripts.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => DebFile.FromBytes(s.Key, AtomicFile.Utf8.GetBytes(s.Value), DebFile.Executable)));
            var controlArchive = new MemoryStream();
            await WriteTarGzAsync(controlArchive, controlFiles, [], cancellationToken);

            await AtomicFile.WriteAsync(output, async (stream, token) =>
            {
                await using var data = File.OpenRead(dataPath);
                await ArWriter.WriteAsync(stream,
                [
                    new ArMember("debian-binary", new MemoryStream("2.0\n"u8.ToArray())),
                    new ArMember("control.tar.gz", new MemoryStream(controlArchive.ToArray())),
                    new ArMember("data.tar.gz", data),
                ], Timestamp, token);
            }, cancellationToken, DebFile.Regular);
            return final;
        }
        finally
        {
            File.Delete(dataPath);
        }
    }

    private static async Task<(long InstalledKiB, string Md5Sums)> WriteDataAsync(string path, IReadOnlyList<DebFile> files,
        CancellationToken cancellationToken)
    {
        var directories = files.SelectMany(f => Parents(f.Target)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await WriteTarGzAsync(stream, files.Select(f => f with { Target = f.Target.TrimStart('/') }).ToList(), directories, cancellationToken);
        }

        var md5sums = new StringBuilder();
        long kib = directories.Count;
        foreach (var file in files)
        {
            await using var content = file.Open();
            kib += (content.Length + 1023) / 1024;
            md5sums.Append(Convert.ToHexStringLower(await MD5.HashDataAsync(content, cancellationToken))).Append("  ")
                .Append(file.Target.TrimStart('/')).Append('\n');
        }

        return (kib, md5sums.ToString());
    }

    /// <summary>A gzip'd ustar archive: "./", then <paramref name="directories"/> and files in path order (each directory before its content),
    /// every name under "./".</summary>
    private static async Task WriteTarGzAsync(Stream output, IReadOnlyList<DebFile> files, IReadOnlyList<string> directories,
        CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true);
        await tar.WriteEntryAsync(Entry(TarEntryType.Directory, "./", DirectoryMode), cancellationToken);
        var entries = directories.Select(d => (Name: $"./{d}/", File: (DebFile?)null))
            .Concat(files.Select(f => (Name: "./" + f.Target, File: (DebFile?)f)))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var (name, file) in entries)
        {
            if (file is null)
            {
                await tar.WriteEntryAsync(Entry(TarEntryType.Directory, name, DirectoryMode), cancellationToken);
                continue;
            }

            var entry = Entry(TarEntryType.RegularFile, name, file.Mode);
            await using var content = file.Open();
            entry.DataStream = content;
            await tar.WriteEntryAsync(entry, cancellationToken);
        }
    }

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        Uid = 0,
        Gid = 0,
        UserName = "root",
        GroupName = "root",
        ModificationTime = Timestamp,
    };

    /// <summary>"usr", "usr/bin" for "/usr/bin/tool".</summary>
    private static IEnumerable<string> Parents(string target)
    {
        var parts = target.Trim('/').Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }
}

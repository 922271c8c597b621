using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Archives;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Repository.Tests.Archives;

/// <summary>Archives made by the real tar and zip from a tree on disk come back as that tree; hostile or damaged ones leave nothing behind.</summary>
public sealed class ArchiveExtractorTests : IDisposable
{
    private const UnixFileMode Mode755 = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Mode750 = (UnixFileMode)0b111_101_000;
    private const UnixFileMode Mode644 = (UnixFileMode)0b110_100_100;
    private const UnixFileMode Mode600 = (UnixFileMode)0b110_000_000;

    /// <summary>Random, so that it does not compress: cutting an archive anywhere cuts inside it.</summary>
    private static readonly byte[] Blob = RandomNumberGenerator.GetBytes(512 << 10);

    private readonly TempDirectory _temp = new();

    public ArchiveExtractorTests()
    {
        var root = Directory.CreateDirectory(_temp.File("tree/app")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "v1/bin"));
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "v1/bin/tool"), "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(Path.Combine(root, "v1/bin/tool"), Mode755);
        File.WriteAllText(Path.Combine(root, "v1/secret"), "s3cret\n");
        File.SetUnixFileMode(Path.Combine(root, "v1/secret"), Mode600);
        File.WriteAllBytes(Path.Combine(root, "v1/blob"), Blob);
        File.SetUnixFileMode(Path.Combine(root, "v1/blob"), Mode644);
        File.SetUnixFileMode(Path.Combine(root, "v1"), Mode750);
        File.CreateSymbolicLink(Path.Combine(root, "current"), "v1");
        File.CreateSymbolicLink(Path.Combine(root, "v1/bin/tool-link"), "../../current/bin/tool");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("tar.xz")]
    [InlineData("tar.zst")]
    [InlineData("zip")]
    public async Task An_archive_made_by_the_real_tool_comes_back_with_its_modes_and_symlinks(string format)
    {
        var archive = await MakeAsync(format);

        var result = await ArchiveExtractor.ExtractAsync(archive, _temp.File("out/x"), include: null, CancellationToken.None);

        var app = _temp.File("out/x/app");
        Assert.Equal("#!/bin/sh\necho tool\n", await File.ReadAllTextAsync(Path.Combine(app, "v1/bin/tool")));
        Assert.Equal(Blob, await File.ReadAllBytesAsync(Path.Combine(app, "v1/blob")));
        Assert.Equal(Mode755, File.GetUnixFileMode(Path.Combine(app, "v1/bin/tool")));
        Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(app, "v1/secret")));
        Assert.Equal(Mode644, File.GetUnixFileMode(Path.Combine(app, "v1/blob")));
        Assert.Equal(Mode750, File.GetUnixFileMode(Path.Combine(app, "v1")));
        Assert.True(Directory.Exists(Path.Combine(app, "empty")));
        Assert.Equal("v1", new FileInfo(Path.Combine(app, "current")).LinkTarget);
        Assert.Equal("../../current/bin/tool", new FileInfo(Path.Combine(app, "v1/bin/tool-link")).LinkTarget);
        Assert.Equal("#!/bin/sh\necho tool\n", await File.ReadAllTextAsync(Path.Combine(app, "v1/bin/tool-link")));
        Assert.Equal((3, 2), (result.Files, result.Links));
        Assert.Equal(["x"], Directory.GetFileSystemEntries(_temp.File("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_tar_keeps_file_times_and_copies_hard_links()
    {
        File.SetLastWriteTimeUtc(_temp.File("tree/app/v1/secret"), new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc));
        File.Delete(_temp.File("tree/app/v1/bin/tool-link"));
        await RealTool.CheckAsync("ln", _temp.File("tree/app/v1/bin/tool"), _temp.File("tree/app/v1/bin/tool-hard"));
        var archive = await MakeAsync("tar.gz");

        await ArchiveExtractor.ExtractAsync(archive, _temp.File("out"), include: null, CancellationToken.None);

        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(_temp.File("out/app/v1/secret")));
        Assert.Equal("#!/bin/sh\necho tool\n", await File.ReadAllTextAsync(_temp.File("out/app/v1/bin/tool-hard")));
        Assert.Equal(Mode755, File.GetUnixFileMode(_temp.File("out/app/v1/bin/tool-hard")));
    }

    [Fact]
    public async Task Only_the_entries_asked_for_are_written()
    {
        var archive = await MakeAsync("tar.zst");

        var result = await ArchiveExtractor.ExtractAsync(archive, _temp.File("out"), path => path == "app/v1/secret", CancellationToken.None);

        Assert.Equal("s3cret\n", await File.ReadAllTextAsync(_temp.File("out/app/v1/secret")));
        Assert.Equal([_temp.File("out/app/v1/secret")], Directory.GetFileSystemEntries(_temp.File("out"), "*", SearchOption.AllDirectories)
            .Where(File.Exists));
        Assert.Equal((1, 0), (result.Files, result.Links));
    }

    [Fact]
    public async Task A_new_extraction_replaces_the_old_tree_whole()
    {
        Directory.CreateDirectory(_temp.File("out/stale"));
        var archive = await MakeAsync("tar.gz");

        await ArchiveExtractor.ExtractAsync(archive, _temp.File("out"), include: null, CancellationToken.None);

        Assert.Equal(["app"], Directory.GetFileSystemEntries(_temp.File("out")).Select(Path.GetFileName));
        AssertNoTempLeft();
    }

    [Theory]
    [InlineData("tar.gz", 0.3)]
    [InlineData("tar.gz", 0.9)]
    [InlineData("tar.xz", 0.5)]
    [InlineData("tar.zst", 0.5)]
    [InlineData("tar.zst", 0.999)]
    [InlineData("zip", 0.5)]
    public async Task A_truncated_archive_is_named_and_leaves_the_old_tree_as_it_was(string format, double keep)
    {
        var archive = await MakeAsync(format);
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(archive, bytes[..(int)(bytes.Length * keep)]);
        _temp.Write("out/old", "old\n");

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(archive, _temp.File("out"), include: null, CancellationToken.None));

        Assert.StartsWith($"{archive} is truncated or corrupt (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"nothing was extracted to {_temp.File("out")}", error.Message, StringComparison.Ordinal);
        Assert.Equal(["old"], Directory.GetFileSystemEntries(_temp.File("out")).Select(Path.GetFileName));
        AssertNoTempLeft();
    }

    [Fact]
    public async Task A_file_that_is_no_archive_is_refused()
    {
        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(_temp.Write("plain", "text\n"), _temp.File("out"), include: null, CancellationToken.None));

        Assert.Equal($"{_temp.File("plain")} is not a .tar.gz, .tar.xz, .tar.zst or .zip archive; nothing was extracted to {_temp.File("out")}",
            error.Message);
    }

    [Theory]
    [InlineData("../evil", null, "has its path '../evil', which climbs out with '..'")]
    [InlineData("a/../../evil", null, "has its path 'a/../../evil', which climbs out with '..'")]
    [InlineData("/etc/evil", null, "has its path '/etc/evil', which is absolute or holds a NUL")]
    [InlineData("link", "/etc", "is a symlink to '/etc': only relative targets inside the archive are extracted")]
    [InlineData("link", "../outside", "is a symlink to '../outside', which leads outside the extracted tree")]
    [InlineData("a/b/link", "../../..", "is a symlink to '../../..', which leads outside the extracted tree")]
    public async Task A_tar_entry_that_would_land_outside_is_refused_and_nothing_is_left(string name, string? link, string why)
    {
        var archive = await HostileTarAsync(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "a/b/fine") { DataStream = new MemoryStream("fine"u8.ToArray()) });
            w.WriteEntry(link is null
                ? new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("evil"u8.ToArray()) }
                : new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link });
        });

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(archive, _temp.File("box/out"), include: null, CancellationToken.None));

        Assert.Equal($"{archive}: entry '{name}' {why}; nothing was extracted to {_temp.File("box/out")}", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.File("box")));
    }

    [Fact]
    public async Task Symlinks_that_each_look_inside_but_lead_out_together_are_refused()
    {
        // a/b/l resolves to a/c, inside; m names a/b/l/../../.. which only looks like the root: through l it is one level above it.
        var archive = await HostileTarAsync(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "a/b/l") { LinkName = "../c" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "a/c"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "m") { LinkName = "a/b/l/../../.." });
        });

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(archive, _temp.File("box/out"), include: null, CancellationToken.None));

        Assert.Contains("entry 'm' is a symlink to 'a/b/l/../../..', which leads outside the extracted tree", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.File("box")));
    }

    [Fact]
    public async Task Nothing_is_written_through_a_symlink_the_archive_made()
    {
        var archive = await HostileTarAsync(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "real"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "alias") { LinkName = "real" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "alias/file") { DataStream = new MemoryStream("x"u8.ToArray()) });
        });

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(archive, _temp.File("box/out"), include: null, CancellationToken.None));

        Assert.Contains("entry 'alias/file' lies under 'alias', which an earlier entry made a symlink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_is_not_extracted()
    {
        var archive = await HostileTarAsync(w => w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3 }));

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(archive, _temp.File("box/out"), include: null, CancellationToken.None));

        Assert.Contains("entry 'dev/null' is a device, FIFO or other special file, which is not extracted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_symlink_that_leads_out_is_refused_like_a_tar_one()
    {
        File.CreateSymbolicLink(_temp.File("tree/app/evil"), "../../../etc/passwd");
        var archive = await MakeAsync("zip");

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(archive, _temp.File("box/out"), include: null, CancellationToken.None));

        Assert.Contains("entry 'app/evil' is a symlink to '../../../etc/passwd', which leads outside the extracted tree", error.Message,
            StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.File("box")));
    }

    /// <summary>The tree as a <paramref name="format"/> archive made by tar or by zip --symlinks (links stored as links).</summary>
    private Task<string> MakeAsync(string format) => RealArchive.MakeAsync(format, _temp.File("tree"), "app", _temp.File($"archive.{format}"));

    /// <summary>A .tar.gz written entry by entry, with what no honest tar writes.</summary>
    private async Task<string> HostileTarAsync(Action<TarWriter> write)
    {
        var archive = _temp.File("hostile.tar.gz");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(tar);
        }

        Directory.CreateDirectory(_temp.File("box"));
        return archive;
    }

    private void AssertNoTempLeft() =>
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path, "*.tmp*", SearchOption.AllDirectories));
}

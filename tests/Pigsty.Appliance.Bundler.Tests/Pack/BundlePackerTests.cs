using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Archives;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Pack;

public sealed class BundlePackerTests(DebFixture debs) : IClassFixture<DebFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static BundlePacker Packer() => new(NullLogger<BundlePacker>.Instance);

    [Fact]
    public async Task Tgz_holds_pigsty_slash_sorted_root_owned_fixed_time_with_the_marker_last()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        var result = await Pack(repo, "pigsty-pkg.tgz");

        var entries = await ReadEntriesAsync(result.Path);
        var files = Directory.GetFiles(repo).Select(Path.GetFileName).Where(n => n != "repo_complete").Order(StringComparer.Ordinal);
        Assert.Equal(["pigsty/", .. files.Select(f => "pigsty/" + f), "pigsty/repo_complete"], entries.Select(e => e.Name));
        Assert.All(entries.Cast<PosixTarEntry>(), e => Assert.Equal((0, 0, "root", "root", SampleRepo.Time), (e.Uid, e.Gid, e.UserName, e.GroupName, e.ModificationTime)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, entries[1].Mode);
        Assert.Equal(TarEntryType.Directory, entries[0].EntryType);
        Assert.Equal(entries.Count, result.Entries);
    }

    [Fact]
    public async Task Tgz_extracts_with_tar_into_www_pigsty_and_its_files_check_out()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var result = await Pack(repo, "pigsty-pkg.tgz");
        var www = Directory.CreateDirectory(_temp.File("www")).FullName;

        await ProcessRunner.Silent.RunAsync(RealTool.Spec("tar", "-xf", result.Path, "-C", www), CancellationToken.None);

        await Sha256sumCheck(Path.Combine(www, "pigsty"), "repo_complete");
        await Sha256sumCheck(_temp.File("dist"), Path.GetFileName(result.ChecksumPath));
        Assert.Equal($"{result.Sha256}  pigsty-pkg.tgz\n", await File.ReadAllTextAsync(result.ChecksumPath));
        Assert.Equal(result.Sha256, await Checksums.Sha256FileAsync(result.Path, CancellationToken.None));
    }

    [Fact]
    public async Task Tar_zst_is_valid_zstd_and_extracts_the_same_files()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var result = await Pack(repo, "pigsty-pkg.tar.zst", PackFormat.TarZst);
        var www = Directory.CreateDirectory(_temp.File("www")).FullName;

        await ProcessRunner.Silent.RunAsync(RealTool.Spec("zstd", "-q", "-t", result.Path), CancellationToken.None);
        var listed = await ProcessRunner.Silent.RunAsync(RealTool.Spec("tar", "--zstd", "-tf", result.Path), CancellationToken.None);
        await ProcessRunner.Silent.RunAsync(RealTool.Spec("tar", "--zstd", "-xf", result.Path, "-C", www), CancellationToken.None);

        var files = Directory.GetFiles(repo).Select(Path.GetFileName).Where(n => n != "repo_complete").Order(StringComparer.Ordinal);
        Assert.Equal(["pigsty/", .. files.Select(f => "pigsty/" + f), "pigsty/repo_complete"], listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await Sha256sumCheck(Path.Combine(www, "pigsty"), "repo_complete");
        await Sha256sumCheck(_temp.File("dist"), Path.GetFileName(result.ChecksumPath));
        Assert.Empty(Directory.GetFiles(_temp.File("dist"), ".*"));
    }

    [Theory]
    [InlineData(PackFormat.Tgz)]
    [InlineData(PackFormat.TarZst)]
    public async Task Both_formats_extract_in_process_as_the_image_build_does_with_modes_and_times(PackFormat format)
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var result = await Pack(repo, "pigsty-pkg" + PackOptions.ExtensionOf(format), format);

        var extracted = await ArchiveExtractor.ExtractAsync(result.Path, _temp.File("image/bundle"), include: null, CancellationToken.None);

        var pigsty = _temp.File("image/bundle/pigsty");
        await Sha256sumCheck(pigsty, "repo_complete");
        Assert.Equal(Directory.GetFiles(repo).Length, extracted.Files);
        Assert.All(Directory.GetFiles(pigsty), f => Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(f)));
        Assert.All(Directory.GetFiles(pigsty), f => Assert.Equal(SampleRepo.Time.UtcDateTime, File.GetLastWriteTimeUtc(f)));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(pigsty));
    }

    [Fact]
    public async Task A_truncated_tar_zst_bundle_is_named_and_the_extracted_bundle_before_it_stays()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var result = await Pack(repo, "pigsty-pkg.tar.zst", PackFormat.TarZst);
        await ArchiveExtractor.ExtractAsync(result.Path, _temp.File("image/bundle"), include: null, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(result.Path);
        await File.WriteAllBytesAsync(result.Path, bytes[..(bytes.Length * 2 / 3)]);

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            ArchiveExtractor.ExtractAsync(result.Path, _temp.File("image/bundle"), include: null, CancellationToken.None));

        Assert.StartsWith($"{result.Path} is truncated or corrupt (", error.Message, StringComparison.Ordinal);
        await Sha256sumCheck(_temp.File("image/bundle/pigsty"), "repo_complete");
        Assert.Equal(["bundle"], Directory.GetFileSystemEntries(_temp.File("image")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(PackFormat.Tgz)]
    [InlineData(PackFormat.TarZst)]
    public async Task Packing_is_deterministic_whatever_the_files_mtimes(PackFormat format)
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var first = await Pack(repo, "first" + PackOptions.ExtensionOf(format), format);
        foreach (var file in Directory.GetFiles(repo))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-3));
        }

        var second = await Pack(repo, "second" + PackOptions.ExtensionOf(format), format);

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(await File.ReadAllBytesAsync(first.Path), await File.ReadAllBytesAsync(second.Path));
    }

    [Fact]
    public async Task Tar_zst_bytes_are_the_same_whatever_the_worker_count_and_the_level_is_honoured()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        var one = await Pack(repo, "one.tar.zst", PackFormat.TarZst, o => o with { ZstdThreads = 1 });
        var four = await Pack(repo, "four.tar.zst", PackFormat.TarZst, o => o with { ZstdThreads = 4 });
        var fast = await Pack(repo, "fast.tar.zst", PackFormat.TarZst, o => o with { ZstdLevel = 1 });
        var small = await Pack(repo, "small.tar.zst", PackFormat.TarZst, o => o with { ZstdLevel = 19 });

        Assert.Equal(one.Sha256, four.Sha256);
        Assert.True(small.Size < fast.Size, $"level 19 gave {small.Size} bytes, level 1 {fast.Size}");
        await ProcessRunner.Silent.RunAsync(RealTool.Spec("zstd", "-q", "-t", small.Path), CancellationToken.None);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(20, 0)]
    [InlineData(3, -1)]
    public async Task Zstd_settings_out_of_range_are_refused_and_nothing_is_left(int level, int threads)
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Pack(repo, "bad.tar.zst", PackFormat.TarZst, o => o with { ZstdLevel = level, ZstdThreads = threads }));

        Assert.Empty(Directory.GetFiles(_temp.File("dist")));
    }

    [Fact]
    public async Task An_unsealed_repo_is_refused_and_nothing_is_written()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Pack(repo, "pigsty-pkg.tgz"));

        Assert.Contains("repo_complete is missing: seal the repo before packing it", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("dist")) && Directory.EnumerateFileSystemEntries(_temp.File("dist")).Any());
    }

    [Fact]
    public async Task A_failed_repack_keeps_the_old_tarball_and_its_sha256()
    {
        // The .sha256 was deleted before the new tarball existed: an interrupted repack left a bundle nobody could check.
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var old = await Pack(repo, "pigsty-pkg.tgz");
        var sidecar = await File.ReadAllTextAsync(old.ChecksumPath);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Packer().PackAsync(repo, old.Path,
            new PackOptions { Timestamp = SampleRepo.Time }, new CancellationToken(canceled: true)));

        Assert.Equal(sidecar, await File.ReadAllTextAsync(old.ChecksumPath));
        await Sha256sumCheck(Path.GetDirectoryName(old.Path)!, old.ChecksumPath);
        Assert.Equal([Path.GetFileName(old.Path), Path.GetFileName(old.ChecksumPath)],
            Directory.GetFiles(Path.GetDirectoryName(old.Path)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Gzip_level_is_honoured()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        var stored = await Pack(repo, "stored.tgz");
        var squeezed = await Packer().PackAsync(repo, _temp.File("dist/squeezed.tgz"),
            new PackOptions { Timestamp = SampleRepo.Time, GzipLevel = CompressionLevel.SmallestSize }, CancellationToken.None);

        Assert.True(squeezed.Size < stored.Size, $"{squeezed.Size} >= {stored.Size}");
        Assert.Equal((await ReadEntriesAsync(stored.Path)).Select(e => (e.Name, e.Length)), (await ReadEntriesAsync(squeezed.Path)).Select(e => (e.Name, e.Length)));
    }

    private Task<PackResult> Pack(string repo, string name, PackFormat format = PackFormat.Tgz, Func<PackOptions, PackOptions>? change = null) =>
        Packer().PackAsync(repo, _temp.File("dist/" + name), (change ?? (o => o))(new PackOptions { Timestamp = SampleRepo.Time, Format = format }),
            CancellationToken.None);

    private static Task Sha256sumCheck(string directory, string list) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec("sha256sum", ["--check", "--strict", "--quiet", list]) with { WorkingDirectory = directory },
            CancellationToken.None);

    private static async Task<List<TarEntry>> ReadEntriesAsync(string tgz)
    {
        await using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }
}

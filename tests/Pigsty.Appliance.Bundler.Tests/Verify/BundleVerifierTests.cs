using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Bundler.Tests.Pack;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Repository.Verify;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Verify;

// The verifier lives in Repository; these stay here because every case seals (and packs) a real repo with the bundler first.
public sealed class BundleVerifierTests(DebFixture debs) : IClassFixture<DebFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Lib => debs.Packages.Single(p => p.Name == "pigsty-lib").DebFileName;

    [Fact]
    public async Task A_sealed_directory_verifies()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);

        var report = await Verifier().VerifyAsync(repo, CancellationToken.None);

        Assert.Equal(("directory", 9, 4, false, false), (report.Kind, report.Files, report.Packages, report.Signed, report.SidecarChecked));
        Assert.Equal(Directory.GetFiles(repo).Sum(f => new FileInfo(f).Length), report.Bytes);
    }

    [Fact]
    public async Task A_signed_directory_verifies_its_signatures()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());

        var report = await Verifier().VerifyAsync(repo, CancellationToken.None);

        Assert.True(report.Signed);
        Assert.Equal(12, report.Files);
    }

    [Theory]
    [InlineData(PackFormat.Tgz, "tgz")]
    [InlineData(PackFormat.TarZst, "tar.zst")]
    public async Task A_packed_bundle_verifies_with_its_sidecar(PackFormat format, string kind)
    {
        var bundle = await PackAsync(await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated()), format);

        var report = await Verifier().VerifyAsync(bundle, CancellationToken.None);

        Assert.Equal((kind, 12, 4, true, true), (report.Kind, report.Files, report.Packages, report.Signed, report.SidecarChecked));
    }

    [Fact]
    public async Task A_tampered_deb_is_named()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        FlipByte(Path.Combine(repo, Lib));

        var message = await FailureAsync(repo);

        Assert.Contains($"{Lib}: SHA-256 is ", message, StringComparison.Ordinal);
        Assert.Contains("repo_complete lists", message, StringComparison.Ordinal);
        Assert.Contains($"{Lib}: Packages entry 4 (pigsty-lib) lists SHA256 ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_deb_is_caught_by_the_index_even_when_the_marker_was_regenerated()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        FlipByte(Path.Combine(repo, Lib));
        await SampleRepo.ResealAsync(repo, debs);

        var message = await FailureAsync(repo);

        Assert.Contains("(1 problem)", message, StringComparison.Ordinal);
        Assert.Contains($"{Lib}: Packages entry 4 (pigsty-lib) lists SHA256 ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_marker_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        File.Delete(Path.Combine(repo, "repo_complete"));

        var message = await FailureAsync(repo);

        Assert.Contains("repo_complete is missing: the repo is incomplete", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_extra_file_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        await File.WriteAllTextAsync(Path.Combine(repo, "notes.txt"), "hello");

        var message = await FailureAsync(repo);

        Assert.Contains("notes.txt is an extra file, not listed in repo_complete", message, StringComparison.Ordinal);
        Assert.Contains("notes.txt is not listed in manifest.json", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        File.Delete(Path.Combine(repo, Lib));

        var message = await FailureAsync(repo);

        Assert.Contains($"{Lib} is missing (listed in repo_complete)", message, StringComparison.Ordinal);
        Assert.Contains($"Packages entry 4 (pigsty-lib): {Lib} is not in the bundle", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deb_the_index_does_not_list_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        File.Copy(Path.Combine(repo, Lib), Path.Combine(repo, "stowaway_1.0_all.deb"));
        await SampleRepo.ResealAsync(repo, debs);

        var message = await FailureAsync(repo);

        Assert.Contains("stowaway_1.0_all.deb is not listed in Packages", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_Packages_gz_is_reported_even_when_the_marker_was_regenerated()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        await File.WriteAllTextAsync(Path.Combine(repo, "Packages.gz"), "this is not gzip");
        await SampleRepo.ResealAsync(repo, debs);

        var message = await FailureAsync(repo);

        Assert.Contains("Packages.gz is not valid gzip", message, StringComparison.Ordinal);
        Assert.Contains("Packages.gz: Release lists ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Packages_gz_that_disagrees_with_Packages_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        await using (var gzip = new GZipStream(File.Create(Path.Combine(repo, "Packages.gz")), CompressionLevel.Optimal))
        {
            await gzip.WriteAsync("Package: other\n"u8.ToArray());
        }

        await SampleRepo.ResealAsync(repo, debs);

        var message = await FailureAsync(repo);

        Assert.Contains("Packages.gz does not decompress to Packages", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_InRelease_fails_its_signature_check()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());
        var inRelease = Path.Combine(repo, "InRelease");
        await File.WriteAllTextAsync(inRelease, (await File.ReadAllTextAsync(inRelease)).Replace("Label: Pigsty", "Label: Evil", StringComparison.Ordinal));
        await SampleRepo.ResealAsync(repo, debs);

        var message = await FailureAsync(repo);

        Assert.Contains("InRelease: the signature does not verify against pigsty.gpg", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_repo_without_its_key_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());
        File.Delete(Path.Combine(repo, "pigsty.gpg"));
        await SampleRepo.ResealAsync(repo, debs);

        var message = await FailureAsync(repo);

        Assert.Contains("the repo is signed but pigsty.gpg", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_that_disagrees_with_the_files_is_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var manifest = Path.Combine(repo, "manifest.json");
        var sha = debs.Packages.Single(p => p.Name == "pigsty-lib").Sha256;
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace(
            $"\"name\": \"{Lib}\",", $"\"name\": \"{Lib}.renamed\",", StringComparison.Ordinal));
        await ForgeMarkerAsync(repo);

        var message = await FailureAsync(repo);

        Assert.Contains($"{Lib}.renamed is missing (listed in manifest.json)", message, StringComparison.Ordinal);
        Assert.Contains($"{Lib} is not listed in manifest.json", message, StringComparison.Ordinal);
        Assert.DoesNotContain(sha, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_tgz_is_reported()
    {
        var bundle = await PackAsync(await SampleRepo.CreateAsync(_temp.Path, debs), PackFormat.Tgz);
        Truncate(bundle, 0.6);

        var message = await FailureAsync(bundle);

        Assert.Contains("pigsty-pkg.tgz is truncated or corrupt", message, StringComparison.Ordinal);
        Assert.Contains("pigsty-pkg.tgz.sha256: lists SHA-256 ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tgz_cut_right_after_an_entry_still_lacks_its_marker()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var bundle = _temp.File("cut.tgz");
        await WriteTgzAsync(bundle, repo, name => name != "repo_complete");

        var message = await FailureAsync(bundle);

        Assert.Contains("repo_complete is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_tar_zst_is_reported()
    {
        var bundle = await PackAsync(await SampleRepo.CreateAsync(_temp.Path, debs), PackFormat.TarZst);
        Truncate(bundle, 0.6);

        var message = await FailureAsync(bundle);

        Assert.Contains("pigsty-pkg.tar.zst is truncated or corrupt", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_deb_inside_a_tarball_is_named()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        FlipByte(Path.Combine(repo, Lib));
        var bundle = await PackAsync(repo, PackFormat.Tgz);

        var message = await FailureAsync(bundle);

        Assert.Contains($"{Lib}: SHA-256 is ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_sidecar_is_reported()
    {
        var bundle = await PackAsync(await SampleRepo.CreateAsync(_temp.Path, debs), PackFormat.Tgz);
        await File.WriteAllTextAsync(bundle + ".sha256", $"{new string('0', 64)}  pigsty-pkg.tgz\n");

        var message = await FailureAsync(bundle);

        Assert.Contains($"(1 problem)", message, StringComparison.Ordinal);
        Assert.Contains($"pigsty-pkg.tgz.sha256: lists SHA-256 {new string('0', 64)} for pigsty-pkg.tgz, the file's is ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sidecar_for_another_file_is_reported()
    {
        var bundle = await PackAsync(await SampleRepo.CreateAsync(_temp.Path, debs), PackFormat.Tgz);
        var sidecar = bundle + ".sha256";
        await File.WriteAllTextAsync(sidecar, (await File.ReadAllTextAsync(sidecar)).Replace("pigsty-pkg.tgz", "other.tgz", StringComparison.Ordinal));

        var message = await FailureAsync(bundle);

        Assert.Contains("pigsty-pkg.tgz.sha256: expected one line for pigsty-pkg.tgz, found other.tgz", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_outside_pigsty_are_reported()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var bundle = _temp.File("odd.tgz");
        await WriteTgzAsync(bundle, repo, _ => true, extra: "etc/cron.d/evil");

        var message = await FailureAsync(bundle);

        Assert.Contains("odd.tgz: unexpected entry 'etc/cron.d/evil' (RegularFile)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Packages_gz_bomb_stops_at_the_size_Release_lists_for_Packages()
    {
        // A 256 MiB Packages.gz bomb in a .tgz: it was inflated whole into memory (4 GiB ones ended in an internal error).
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        await File.WriteAllBytesAsync(Path.Combine(repo, "Packages.gz"), CompressionBomb.Gzip(256L << 20));
        var bundle = await PackAsync(repo, PackFormat.Tgz);

        var message = await FailureAsync(bundle);

        Assert.Contains($"Packages.gz decompresses to more than the {new FileInfo(Path.Combine(repo, "Packages")).Length} bytes Release lists for Packages",
            message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PackFormat.Tgz)]
    [InlineData(PackFormat.TarZst)]
    public async Task A_bundle_that_expands_far_beyond_its_size_is_refused_early(PackFormat format)
    {
        // 1 GiB of zeros packs into a few KiB of zstd (or a few MiB of gzip); the zstd program unpacked it into /tmp whole.
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        CompressionBomb.SparseZeros(Path.Combine(repo, "zeros_1.0_all.deb"), 1L << 30);
        var bundle = (await BundlePackerTests.Packer().PackAsync(repo, _temp.File("dist/pigsty-pkg" + PackOptions.ExtensionOf(format)),
            new PackOptions { Timestamp = SampleRepo.Time, Format = format, GzipLevel = CompressionLevel.Fastest }, CancellationToken.None)).Path;

        var message = await FailureAsync(bundle);

        Assert.Contains($"{Path.GetFileName(bundle)} decompresses to more than ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_is_not_a_bundle_is_an_input_error()
    {
        var text = _temp.Write("notes.txt", "just text");

        var missing = await Assert.ThrowsAsync<InputException>(() => Verifier().VerifyAsync(_temp.File("absent.tgz"), CancellationToken.None));
        var notBundle = await Assert.ThrowsAsync<InputException>(() => Verifier().VerifyAsync(text, CancellationToken.None));

        Assert.EndsWith("absent.tgz: no such bundle file or directory", missing.Message, StringComparison.Ordinal);
        Assert.EndsWith("notes.txt: not a bundle: expected a directory, a .tgz or a .tar.zst", notBundle.Message, StringComparison.Ordinal);
    }

    private static BundleVerifier Verifier() => new(ProcessRunner.Silent, NullLogger<BundleVerifier>.Instance);

    private static async Task<string> FailureAsync(string path) =>
        (await Assert.ThrowsAsync<IntegrityException>(() => Verifier().VerifyAsync(path, CancellationToken.None))).Message;

    private async Task<string> PackAsync(string repo, PackFormat format) =>
        (await BundlePackerTests.Packer().PackAsync(repo, _temp.File("dist/pigsty-pkg" + PackOptions.ExtensionOf(format)),
            new PackOptions { Timestamp = SampleRepo.Time, Format = format }, CancellationToken.None)).Path;

    private static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(path, bytes);
    }

    private static void Truncate(string path, double fraction)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength((long)(file.Length * fraction));
    }

    /// <summary>A marker recomputed from the files as they are now: what an attacker who can write the repo could do.</summary>
    private static async Task ForgeMarkerAsync(string repo)
    {
        var files = new List<RepoFile>();
        foreach (var path in Directory.GetFiles(repo).Where(p => Path.GetFileName(p) != "repo_complete"))
        {
            files.Add(new RepoFile(Path.GetFileName(path), new FileInfo(path).Length, await Checksums.Sha256FileAsync(path, CancellationToken.None)));
        }

        await File.WriteAllTextAsync(Path.Combine(repo, "repo_complete"), ChecksumList.Format(files));
    }

    private static async Task WriteTgzAsync(string bundle, string repo, Func<string, bool> include, string? extra = null)
    {
        await using var gzip = new GZipStream(File.Create(bundle), CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Gnu);
        foreach (var path in Directory.GetFiles(repo).Order(StringComparer.Ordinal).Where(p => include(Path.GetFileName(p))))
        {
            await tar.WriteEntryAsync(path, "pigsty/" + Path.GetFileName(path));
        }

        if (extra is not null)
        {
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, extra) { DataStream = new MemoryStream("x"u8.ToArray()) });
        }
    }
}

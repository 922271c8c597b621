using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Seal;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary><c>pigsty-appliance verify</c>: exit 0 on a good bundle, 5 on each integrity failure, 3 on a wrong path.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_763_726_400);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_good_tgz_exits_0_with_a_summary()
    {
        var (_, bundle) = await BuildAsync();

        var run = await CliRun.Of("verify", bundle);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"ok: {bundle} (tgz): 7 files, 2 packages, ", run.Out, StringComparison.Ordinal);
        Assert.Contains("unsigned, .sha256 ok", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Json_prints_the_report_as_one_document()
    {
        var (_, bundle) = await BuildAsync();

        var run = await CliRun.Of("verify", bundle, "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(bundle, root.GetProperty("path").GetString());
        Assert.Equal("tgz", root.GetProperty("kind").GetString());
        Assert.Equal(7, root.GetProperty("files").GetInt32());
        Assert.Equal(2, root.GetProperty("packages").GetInt32());
        Assert.True(root.GetProperty("bytes").GetInt64() > 0);
        Assert.False(root.GetProperty("signed").GetBoolean());
        Assert.True(root.GetProperty("sidecar_checked").GetBoolean());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task Json_of_a_missing_bundle_exits_3_with_an_error_document()
    {
        var run = await CliRun.Of("verify", "/nonexistent/pigsty-pkg.tgz", "--json");

        Assert.Equal(3, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal("/nonexistent/pigsty-pkg.tgz", json.RootElement.GetProperty("error").GetProperty("problems")[0].GetProperty("file").GetString());
    }

    [Fact]
    public async Task A_good_directory_exits_0()
    {
        var (repo, _) = await BuildAsync();

        var run = await CliRun.Of("verify", repo);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"ok: {repo} (directory): 7 files, 2 packages", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_deb_exits_5_naming_it()
    {
        var (repo, _) = await BuildAsync();
        var deb = Path.Combine(repo, "alpha_1.0_amd64.deb");
        var bytes = await File.ReadAllBytesAsync(deb);
        bytes[0] ^= 1;
        await File.WriteAllBytesAsync(deb, bytes);

        var run = await CliRun.Of("verify", repo);

        Assert.Equal(5, run.ExitCode);
        Assert.StartsWith($"error: {repo} failed verification", run.Error, StringComparison.Ordinal);
        Assert.Contains("alpha_1.0_amd64.deb: SHA-256 is ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_marker_exits_5()
    {
        var (repo, _) = await BuildAsync();
        File.Delete(Path.Combine(repo, "repo_complete"));

        var run = await CliRun.Of("verify", repo);

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("repo_complete is missing", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_tgz_exits_5()
    {
        var (_, bundle) = await BuildAsync();
        await using (var file = new FileStream(bundle, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(file.Length / 2);
        }

        var run = await CliRun.Of("verify", bundle);

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("pigsty-pkg.tgz is truncated or corrupt", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_sidecar_exits_5_naming_it()
    {
        var (_, bundle) = await BuildAsync();
        await File.WriteAllTextAsync(bundle + ".sha256", $"{new string('1', 64)}  pigsty-pkg.tgz\n");

        var run = await CliRun.Of("verify", bundle);

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("pigsty-pkg.tgz.sha256: lists SHA-256 1111", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_does_not_exist_exits_3()
    {
        var run = await CliRun.Of("verify", "/nonexistent/pigsty-pkg.tgz");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("error: /nonexistent/pigsty-pkg.tgz: no such bundle file or directory\n", run.Error);
    }

    [Fact]
    public async Task Verify_without_a_path_is_a_usage_error_and_is_in_help()
    {
        var run = await CliRun.Of("verify");
        var help = await CliRun.Of("--help");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("verify", help.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PackFormat.Tgz)]
    [InlineData(PackFormat.TarZst)]
    public async Task A_decompression_bomb_exits_5_in_a_small_heap_with_no_zstd_and_no_temp_file(PackFormat format)
    {
        // tgz: a Packages.gz that inflates to 4 GiB drove verify to 4.3 GB RSS and then an internal error.
        // tar.zst: 1 GiB of zeros in a few KiB, which the zstd program unpacked into a temp file (left behind on SIGKILL).
        var (_, bundle) = await BuildAsync(format, repo =>
        {
            if (format == PackFormat.Tgz)
            {
                File.WriteAllBytes(Path.Combine(repo, "Packages.gz"), CompressionBomb.Gzip(4L << 30));
            }
            else
            {
                CompressionBomb.SparseZeros(Path.Combine(repo, "zeros_1.0_all.deb"), 1L << 30);
            }
        });
        var noTools = Directory.CreateDirectory(_temp.File("no-tools")).FullName;
        var temp = Directory.CreateDirectory(_temp.File("tmp")).FullName;

        var run = await ProcessRunner.Silent.RunAsync(new ProcessSpec(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "pigsty-appliance.dll"), "verify", bundle])
        {
            // A 256 MiB managed heap: the bomb must be refused within it. No zstd on PATH: the bundle is read in-process.
            Environment = new Dictionary<string, string?> { ["PATH"] = noTools, ["TMPDIR"] = temp, ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(5),
        }, CancellationToken.None);

        Assert.True(run.ExitCode == 5, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains(format == PackFormat.Tgz ? "Packages.gz decompresses to more than" : $"{Path.GetFileName(bundle)} decompresses to more than",
            run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    /// <summary>The dotnet host that runs this test, found before a test empties PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).First(File.Exists);

    /// <summary>A sealed two-package repo and its bundle; the .deb bodies are arbitrary bytes, which verify never unpacks.</summary>
    private async Task<(string Repo, string Bundle)> BuildAsync(PackFormat format = PackFormat.Tgz, Action<string>? beforePacking = null)
    {
        var repo = _temp.File("pigsty");
        Directory.CreateDirectory(repo);
        var source = new AptSource("test", new Uri("http://127.0.0.1:9/debian/"), "bookworm", ["main"], "amd64", "/dev/null");
        var packages = new List<PackageRecord>();
        foreach (var (name, architecture) in new[] { ("alpha", "amd64"), ("beta", "all") })
        {
            var body = AtomicFile.Utf8.GetBytes($"not really a deb: {name}\n");
            var sha256 = Checksums.Sha256(body);
            var filename = $"pool/main/{name[0]}/{name}/{name}_1.0_{architecture}.deb";
            var stanza = new ControlStanza([
                new("Package", name), new("Version", "1.0"), new("Architecture", architecture), new("Filename", filename),
                new("Size", body.Length.ToString(CultureInfo.InvariantCulture)), new("SHA256", sha256)]);
            var record = new PackageRecord(name, "1.0", architecture, filename, body.Length, sha256, source, stanza);
            await File.WriteAllBytesAsync(Path.Combine(repo, record.DebFileName), body);
            packages.Add(record);
        }

        var index = await new FlatRepoWriter(ProcessRunner.Silent, NullLogger<FlatRepoWriter>.Instance)
            .WriteAsync(repo, packages, new RepoOptions { Date = Time }, CancellationToken.None);
        await new BundleSealer(NullLogger<BundleSealer>.Instance)
            .SealAsync(repo, new BundleInfo("pigsty-pkg", "v0.1.0", "d12", "x86_64", Time), packages, index.Files, CancellationToken.None);
        beforePacking?.Invoke(repo);
        var packed = await new BundlePacker(NullLogger<BundlePacker>.Instance)
            .PackAsync(repo, _temp.File("dist/pigsty-pkg" + PackOptions.ExtensionOf(format)),
                new PackOptions { Timestamp = Time, Format = format }, CancellationToken.None);
        return (repo, packed.Path);
    }
}

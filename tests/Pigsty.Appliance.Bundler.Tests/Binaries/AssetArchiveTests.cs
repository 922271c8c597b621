using System.Security.Cryptography;
using Pigsty.Appliance.Bundler.Binaries;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Binaries;

/// <summary>Release archives as upstreams make them: by tar with gzip, xz and zstd, and by zip, from a real tree on disk.</summary>
public sealed class AssetArchiveTests : IDisposable
{
    private const string Label = "binary hello-svc (test)";

    /// <summary>Random, so that it does not compress: cutting an archive in half cuts inside it.</summary>
    private static readonly byte[] Blob = RandomNumberGenerator.GetBytes(256 << 10);

    private readonly TempDirectory _temp = new();

    public AssetArchiveTests()
    {
        var root = Directory.CreateDirectory(_temp.File("tree/hello-svc-1.0/bin")).Parent!.FullName;
        File.WriteAllBytes(Path.Combine(root, "bin/hello-svc"), Assets.Script);
        File.WriteAllBytes(Path.Combine(root, "bin/hello-cli"), Assets.Cli);
        File.WriteAllText(Path.Combine(root, "README"), "read me\n");
        Directory.CreateDirectory(Path.Combine(root, "lib"));
        File.WriteAllBytes(Path.Combine(root, "lib/blob"), Blob);
        // A symlink named like a member: were it taken as a file, 'hello-svc' would match two entries.
        File.CreateSymbolicLink(Path.Combine(root, "hello-svc"), "bin/hello-svc");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("tar.xz")]
    [InlineData("tar.zst")]
    [InlineData("zip")]
    public async Task Members_of_an_archive_made_by_the_real_tool_are_extracted_whatever_the_asset_is_named(string format)
    {
        var asset = await MakeAsync(format);

        var extracted = await ExtractAsync(asset, "hello-svc", "bin/hello-cli", "lib/blob");

        Assert.Equal(Assets.Script, await File.ReadAllBytesAsync(extracted["hello-svc"]));
        Assert.Equal(Assets.Cli, await File.ReadAllBytesAsync(extracted["bin/hello-cli"]));
        Assert.Equal(Blob, await File.ReadAllBytesAsync(extracted["lib/blob"]));
        Assert.Equal(3, Directory.GetFiles(_temp.File("work")).Length);
    }

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("zip")]
    public async Task A_member_that_is_only_a_symlink_is_no_file(string format)
    {
        File.Delete(_temp.File("tree/hello-svc-1.0/bin/hello-svc"));
        var asset = await MakeAsync(format);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => ExtractAsync(asset, "hello-svc"));

        Assert.Equal($"{Label}: the archive has no file 'hello-svc'", error.Message);
    }

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("tar.xz")]
    [InlineData("tar.zst")]
    public async Task A_truncated_tar_is_damaged_and_named_by_its_format(string format)
    {
        var asset = await MakeAsync(format);
        var bytes = await File.ReadAllBytesAsync(asset);
        await File.WriteAllBytesAsync(asset, bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => ExtractAsync(asset, "hello-svc", "lib/blob"));

        Assert.StartsWith($"{Label}: the .{format} asset is damaged or holds no tar archive (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip", "tar.gz")]
    [InlineData("xz", "tar.xz")]
    [InlineData("zstd", "tar.zst")]
    public async Task A_compressed_bare_binary_is_not_taken_for_an_archive(string compressor, string format)
    {
        var binary = _temp.File("tree/hello-svc-1.0/bin/hello-svc");
        await RealTool.CheckAsync(compressor, "-q", "-k", binary);
        var asset = binary + compressor switch { "gzip" => ".gz", "xz" => ".xz", _ => ".zst" };

        var error = await Assert.ThrowsAsync<IntegrityException>(() => ExtractAsync(asset, "hello-svc"));

        Assert.StartsWith($"{Label}: the .{format} asset is damaged or holds no tar archive (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_binary_names_the_formats_that_are_read()
    {
        var error = await Assert.ThrowsAsync<IntegrityException>(() => ExtractAsync(_temp.File("tree/hello-svc-1.0/bin/hello-svc"), "hello-svc"));

        Assert.StartsWith($"{Label}: the asset is not a .tar.gz, .tar.xz, .tar.zst or .zip archive", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The tree as a <paramref name="format"/> archive made by tar or zip, under a name that says nothing of its format.</summary>
    private Task<string> MakeAsync(string format) => RealArchive.MakeAsync(format, _temp.File("tree"), "hello-svc-1.0", _temp.File($"{format}.asset"));

    private async Task<IReadOnlyDictionary<string, string>> ExtractAsync(string asset, params string[] members) =>
        await AssetArchive.ExtractAsync(asset, [.. members.Select(m => new BinaryFile(m, "/usr/bin/" + Path.GetFileName(m)))], _temp.File("work"),
            Label, CancellationToken.None);
}

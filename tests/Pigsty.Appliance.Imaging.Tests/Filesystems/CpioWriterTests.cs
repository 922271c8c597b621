using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Filesystems;

/// <summary>Initramfs archives checked with the real zstd and GNU cpio, not with a reader of our own.</summary>
public sealed class CpioWriterTests : IDisposable
{
    private const long Epoch = 1_700_000_000;
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Cpio_lists_and_extracts_every_entry_with_its_contents_modes_and_link_target()
    {
        var root = Tree();
        var archive = _temp.File("out/initrd.img");

        var entries = await CpioWriter.WriteZstdAsync(root, archive, Epoch, CancellationToken.None);

        Assert.Equal(8, entries);
        await HostTools.RunAsync("zstd", "-q", "-t", archive);
        var cpio = await DecompressAsync(archive);
        var listing = await HostTools.RunAsync("cpio", "-it", "--quiet", "-F", cpio);
        Assert.Equal(
            ["bin", "bin/tool", "empty", "etc", "etc/nested", "etc/nested/file.conf", "etc/secret", "init"],
            listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var extracted = await ExtractAsync(cpio);
        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(Path.Combine(extracted, "bin/tool")));
        Assert.Equal(Mode755, File.GetUnixFileMode(Path.Combine(extracted, "bin/tool")));
        Assert.Equal("key\n", File.ReadAllText(Path.Combine(extracted, "etc/secret")));
        Assert.Equal(Mode600, File.GetUnixFileMode(Path.Combine(extracted, "etc/secret")));
        Assert.Equal(0, new FileInfo(Path.Combine(extracted, "empty")).Length);
        Assert.Equal("a = 1\n", File.ReadAllText(Path.Combine(extracted, "etc/nested/file.conf")));
        Assert.Equal(Mode644, File.GetUnixFileMode(Path.Combine(extracted, "etc/nested/file.conf")));
        Assert.Equal(Mode755, File.GetUnixFileMode(Path.Combine(extracted, "etc/nested")));
        Assert.Equal("bin/tool", new FileInfo(Path.Combine(extracted, "init")).LinkTarget);
        var verbose = await HostTools.RunAsync("cpio", "-itv", "--quiet", "-F", cpio);
        Assert.Contains(verbose.Split('\n'), line => line.StartsWith("lrwxrwxrwx", StringComparison.Ordinal) && line.EndsWith("init -> bin/tool", StringComparison.Ordinal));
        Assert.All(verbose.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^\S+\s+\d+\s+root\s+root\s", line));
    }

    [Fact]
    public async Task Cpio_keeps_the_given_mtime_or_else_each_file_s_own()
    {
        var root = Tree();
        var own = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(root, "etc/secret"), own);

        var given = await ExtractAsync(await DecompressAsync(await PackAsync(root, "given.img", Epoch)));
        var kept = await ExtractAsync(await DecompressAsync(await PackAsync(root, "kept.img", mtime: null)));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Epoch).UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(given, "bin/tool")));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Epoch).UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(given, "etc/secret")));
        Assert.Equal(own, File.GetLastWriteTimeUtc(Path.Combine(kept, "etc/secret")));
    }

    [Fact]
    public async Task A_fifo_in_the_tree_is_named_and_leaves_no_archive()
    {
        var root = Tree();
        var fifo = Path.Combine(root, "etc/nested/pipe");
        await HostTools.RunAsync("mkfifo", fifo);
        var archive = _temp.File("out/initrd.img");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CpioWriter.WriteZstdAsync(root, archive, Epoch, CancellationToken.None));

        Assert.Contains(fifo, error.Message, StringComparison.Ordinal);
        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(archive)!));
    }

    [Fact]
    public async Task The_plain_archive_ends_with_the_trailer_on_a_four_byte_boundary()
    {
        var root = _temp.File("root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "abc"), "12345");
        using var output = new MemoryStream();

        var entries = await CpioWriter.WriteAsync(root, output, Epoch, CancellationToken.None);

        Assert.Equal(1, entries);
        var bytes = output.ToArray();
        Assert.Equal(0, bytes.Length % 4);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        Assert.StartsWith("070701", text, StringComparison.Ordinal);
        Assert.Contains("TRAILER!!!\0", text, StringComparison.Ordinal);
        var plain = _temp.File("plain.cpio");
        await File.WriteAllBytesAsync(plain, bytes);
        Assert.Equal("abc\n", await HostTools.RunAsync("cpio", "-it", "--quiet", "-F", plain));
    }

    /// <summary>bin/tool (0755), etc/secret (0600), empty, etc/nested/file.conf (0644) and init, a link to bin/tool.</summary>
    private string Tree()
    {
        var root = _temp.File("root");
        Directory.CreateDirectory(root);
        var tool = _temp.Write("root/bin/tool", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(tool, Mode755);
        var secret = _temp.Write("root/etc/secret", "key\n");
        File.SetUnixFileMode(secret, Mode600);
        File.SetUnixFileMode(_temp.Write("root/etc/nested/file.conf", "a = 1\n"), Mode644);
        File.SetUnixFileMode(_temp.Write("root/empty", ""), Mode644);
        foreach (var directory in new[] { "bin", "etc", "etc/nested" })
        {
            File.SetUnixFileMode(Path.Combine(root, directory), Mode755);
        }

        File.CreateSymbolicLink(Path.Combine(root, "init"), "bin/tool");
        return root;
    }

    private async Task<string> PackAsync(string root, string name, long? mtime)
    {
        var archive = _temp.File(name);
        await CpioWriter.WriteZstdAsync(root, archive, mtime, CancellationToken.None);
        return archive;
    }

    private static async Task<string> DecompressAsync(string archive)
    {
        var cpio = archive + ".cpio";
        await HostTools.RunAsync("zstd", "-q", "-d", "-f", "-o", cpio, archive);
        return cpio;
    }

    /// <summary>Unpacks as the kernel would take it: modes and mtimes kept, nothing outside the directory.</summary>
    private async Task<string> ExtractAsync(string cpio)
    {
        var directory = _temp.File(Path.GetFileName(cpio) + ".d");
        Directory.CreateDirectory(directory);
        await ProcessRunner.Silent.RunAsync(RealTool.Spec("cpio", "-idm", "--quiet", "--no-absolute-filenames", "-F", cpio) with
        {
            WorkingDirectory = directory,
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None);
        return directory;
    }
}

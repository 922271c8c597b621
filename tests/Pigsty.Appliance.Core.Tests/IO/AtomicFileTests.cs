using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public async Task Writes_utf8_without_bom_and_creates_the_directory()
    {
        using var temp = new TempDirectory();
        var path = temp.File("a/b/c.txt");

        await AtomicFile.WriteAllTextAsync(path, "héllo\n", CancellationToken.None);

        Assert.Equal("68c3a96c6c6f0a", Convert.ToHexStringLower(await File.ReadAllBytesAsync(path)));
    }

    [Fact]
    public async Task A_failing_writer_keeps_the_old_content_and_leaves_no_temp_file()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("f.txt", "old");

        await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await stream.WriteAsync("new but half"u8.ToArray(), token);
            throw new InvalidOperationException("writer failed");
        }, CancellationToken.None));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task Mode_is_applied_from_creation()
    {
        using var temp = new TempDirectory();
        var path = temp.File("secret");

        await AtomicFile.WriteAllTextAsync(path, "x", CancellationToken.None, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Replaces_existing_file()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("f.txt", "old");

        await AtomicFile.WriteAllTextAsync(path, "new", CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
    }
}

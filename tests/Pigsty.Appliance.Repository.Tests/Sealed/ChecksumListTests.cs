using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Repository.Tests.Sealed;

public sealed class ChecksumListTests
{
    private static readonly string A = new('a', 64);
    private static readonly string B = new('b', 64);

    [Fact]
    public void Formats_sorted_sha256sum_lines()
    {
        var text = ChecksumList.Format([new RepoFile("b.deb", 1, B.ToUpperInvariant()), new RepoFile("Packages", 2, A)]);

        Assert.Equal($"{A}  Packages\n{B}  b.deb\n", text);
    }

    [Fact]
    public void Parses_text_and_binary_mode_lines()
    {
        Assert.True(ChecksumList.TryParse($"{A}  x.deb\n{B} *y.deb\n", out var entries, out var error));

        Assert.Null(error);
        Assert.Equal([new ChecksumEntry(A, "x.deb"), new ChecksumEntry(B, "y.deb")], entries);
    }

    [Theory]
    [InlineData("not a checksum line\n", "line 1: expected '<sha256>  <file name>', got 'not a checksum line'")]
    [InlineData("{A}  ../etc/passwd\n", "line 1: expected '<sha256>  <file name>', got '{A}  ../etc/passwd'")]
    [InlineData("{A}  ok\n{A}\n", "line 2: expected '<sha256>  <file name>', got '{A}'")]
    public void Rejects_malformed_lines_and_paths_naming_the_line(string text, string message)
    {
        Assert.False(ChecksumList.TryParse(text.Replace("{A}", A, StringComparison.Ordinal), out _, out var error));

        Assert.Equal(message.Replace("{A}", A, StringComparison.Ordinal), error);
    }
}

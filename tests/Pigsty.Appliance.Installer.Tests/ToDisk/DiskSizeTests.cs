using Pigsty.Appliance.Installer.ToDisk;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

public sealed class DiskSizeTests
{
    [Theory]
    [InlineData("32GiB", 32L << 30)]
    [InlineData("32G", 32L << 30)]
    [InlineData("32 GiB", 32L << 30)]
    [InlineData("500GB", 500_000_000_000L)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("1T", 1L << 40)]
    [InlineData("1.5TiB", 3L << 39)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("512M", 512L << 20)]
    [InlineData("4096", 4096L)]
    [InlineData("4096B", 4096L)]
    public void Parses_binary_decimal_and_plain_sizes(string text, long bytes)
    {
        Assert.True(DiskSize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("big")]
    [InlineData("-1G")]
    [InlineData("32XB")]
    [InlineData("32 G B")]
    [InlineData("99999999999PiB")]
    public void Refuses_what_is_not_a_size(string text) => Assert.False(DiskSize.TryParse(text, out _));

    [Theory]
    [InlineData(32L << 30, "32 GiB")]
    [InlineData(500_000_000_000L, "465.7 GiB")]
    [InlineData(512L, "512 B")]
    [InlineData(1L << 40, "1 TiB")]
    public void Formats_in_the_largest_binary_unit(long bytes, string text) => Assert.Equal(text, DiskSize.Format(bytes));
}

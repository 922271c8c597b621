using Pigsty.Appliance.Bundler.Versions;

namespace Pigsty.Appliance.Bundler.Tests.Versions;

public sealed class DebianVersionTests
{
    [Theory]
    [InlineData("1.0", "1.1", -1)]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1.0~~", "1.0~", -1)]
    [InlineData("1.0~", "1.0", -1)]
    [InlineData("1.0", "1.0+b1", -1)]
    [InlineData("1.0", "1.0a", -1)]
    [InlineData("1.0a", "1.0+", -1)]
    [InlineData("1.0a", "1.0.", -1)]
    [InlineData("1:0.1", "2.0", 1)]
    [InlineData("2.36-9+deb12u4", "2.36-9+deb12u10", -1)]
    [InlineData("15.8-0+deb12u1", "15.14-0+deb12u1", -1)]
    [InlineData("2.1.12-stable-8", "2.1.8", 1)]
    [InlineData("1.18.0-1", "1.18.0-1", 0)]
    [InlineData("1.0", "1.0-0", 0)]
    [InlineData("0:1.0", "1.0", 0)]
    [InlineData("1.00", "1.0", 0)]
    [InlineData("1.0a0", "1.0a", 0)]
    [InlineData("1.2.3-1", "1.2.3-1.1", -1)]
    [InlineData("7.88.1-10+deb12u5", "7.88.1-10+deb12u14", -1)]
    [InlineData("1:9.18.33-1~deb12u2", "1:9.18.33-1", -1)]
    public void Orders_like_dpkg(string left, string right, int expected)
    {
        var a = DebianVersion.Parse(left);
        var b = DebianVersion.Parse(right);

        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareTo(a)));
        Assert.Equal(expected == 0, a == b);
        if (expected == 0)
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Fact]
    public void Splits_epoch_upstream_and_revision_at_the_last_hyphen()
    {
        var version = DebianVersion.Parse("1:2.1.12-stable-8");

        Assert.Equal(1, version.Epoch);
        Assert.Equal("2.1.12-stable", version.Upstream);
        Assert.Equal("8", version.Revision);
        Assert.Equal("1:2.1.12-stable-8", version.ToString());
        Assert.Equal("", DebianVersion.Parse("3.4").Revision);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a:1.0")]
    [InlineData(":1.0")]
    [InlineData("1.0-")]
    [InlineData("-1")]
    [InlineData("1.0 2")]
    [InlineData("1.0_1")]
    [InlineData("1.0-1:2")]
    [InlineData("99999999999:1")]
    public void Rejects_what_dpkg_rejects(string text)
    {
        Assert.False(DebianVersion.TryParse(text, out var version));
        Assert.Null(version);
        Assert.Throws<FormatException>(() => DebianVersion.Parse(text));
    }

    [Fact]
    public void Sorts_with_the_standard_comparer()
    {
        var sorted = new[] { "1.0", "1.0~rc1", "1:0.5", "0.9-1", "1.0-1" }.Select(DebianVersion.Parse).Order().Select(v => v.ToString());

        Assert.Equal(["0.9-1", "1.0~rc1", "1.0", "1.0-1", "1:0.5"], sorted);
    }
}

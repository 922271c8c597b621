using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Repository.Tests.Apt;

public sealed class ReleaseFileTests
{
    private const string Release = """
        Origin: Debian
        Suite: oldstable
        Codename: bookworm
        Date: Sat, 11 Jul 2026 10:16:37 UTC
        Valid-Until: Sat, 18 Jul 2026 10:16:37 +0200
        Acquire-By-Hash: yes
        MD5Sum:
         a8ed68071e02b40b231febcafb3f55aa 12084798 main/binary-amd64/Packages.gz
        SHA256:
         515e692f2c4121c6fcec444ef100cc18f79a991910615f3a88c8b7becfc94d2f 50060337 main/binary-amd64/Packages
         6777ea16514725f9427f48c240d92e0a6b8496138e37a1491d8597e66774e309 12084798 main/binary-amd64/Packages.gz
        """;

    [Fact]
    public void Reads_identity_dates_and_the_sha256_list()
    {
        Assert.True(ReleaseFile.TryParse(Release, out var release, out var error), error);

        Assert.Equal(("oldstable", "bookworm", true), (release.Suite, release.Codename, release.AcquireByHash));
        Assert.Equal(new DateTimeOffset(2026, 7, 11, 10, 16, 37, TimeSpan.Zero), release.Date);
        Assert.Equal(new DateTimeOffset(2026, 7, 18, 8, 16, 37, TimeSpan.Zero), release.ValidUntil);
        Assert.Equal(2, release.Files.Count);
        var gz = release.Files["main/binary-amd64/Packages.gz"];
        Assert.Equal(12084798, gz.Size);
        Assert.Equal("6777ea16514725f9427f48c240d92e0a6b8496138e37a1491d8597e66774e309", gz.Sha256);
    }

    [Theory]
    [InlineData("Suite: x\nSHA256:\n 00 1 a\n", "Date '' is missing or not an RFC 2822 date")]
    [InlineData("Date: yesterday\n", "Date 'yesterday' is missing or not an RFC 2822 date")]
    [InlineData("Date: Sat, 11 Jul 2026 10:16:37 UTC\nValid-Until: soon\n", "Valid-Until 'soon' is not an RFC 2822 date")]
    [InlineData("Date: Sat, 11 Jul 2026 10:16:37 UTC\nSHA256:\n zz 1 a\n", "SHA256 line 'zz 1 a' is not 'digest size path'")]
    [InlineData("Date: Sat, 11 Jul 2026 10:16:37 UTC\n", "there is no SHA256 file list")]
    [InlineData("Date: Sat, 11 Jul 2026 10:16:37 UTC\n\nSuite: b\n", "expected one paragraph, found 2")]
    public void Malformed_releases_say_why(string text, string message)
    {
        Assert.False(ReleaseFile.TryParse(text, out var release, out var error));
        Assert.Null(release);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("Sat, 11 Jul 2026 10:16:37 UTC", "2026-07-11T10:16:37Z")]
    [InlineData("Wed, 1 Jul 2026 10:16:37 GMT", "2026-07-01T10:16:37Z")]
    [InlineData("Sat, 11 Jul 2026 10:16:37 -0130", "2026-07-11T11:46:37Z")]
    public void Reads_the_date_forms_archives_use(string text, string expected)
    {
        Assert.True(ReleaseFile.TryParseDate(text, out var date));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), date);
    }
}

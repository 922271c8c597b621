using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Shared;

/// <summary>SHA-512-crypt against the specification's own vectors and against a second implementation (OpenSSL's).</summary>
public sealed class ShaCryptTests
{
    [Theory]
    // Test vectors of Drepper's "Unix crypt using SHA-256 and SHA-512" (the rounds= ones exercise the salt cut to 16 characters).
    [InlineData("Hello world!", "saltstring", 5000, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("Hello world!", "saltstringsaltstring", 10000,
        "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.")]
    [InlineData("This is just a test", "toolongsaltstring", 5000,
        "$6$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0")]
    [InlineData("a very much longer text to encrypt.  This one even stretches over morethan one line.", "anotherlongsaltstring", 1400,
        "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1")]
    public void Matches_the_specification(string password, string salt, int rounds, string expected) =>
        Assert.Equal(expected, ShaCrypt.Hash(password, salt, rounds));

    [Theory]
    [InlineData("pigsty")]
    [InlineData("päss wörd with spaces, ütf-8 and a long tail: 0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task Matches_openssl(string password)
    {
        var hash = ShaCrypt.Hash(password);
        var salt = hash.Split('$')[2];

        // The password goes in on stdin, as it would for a person: never on a command line.
        var openssl = await ProcessRunner.Silent.RunAsync(RealTool.Spec("openssl", "passwd", "-6", "-salt", salt, "-stdin") with
        {
            StandardInput = password + "\n",
        }, CancellationToken.None);

        Assert.Equal(hash, openssl.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public void Verify_accepts_the_password_and_nothing_else()
    {
        var hash = ShaCrypt.Hash("s3cret");

        Assert.Matches("^\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}$", hash);
        Assert.True(ShaCrypt.Verify("s3cret", hash));
        Assert.False(ShaCrypt.Verify("s3cret ", hash));
        Assert.False(ShaCrypt.Verify("s3cret", hash.Replace("$6$", "$5$", StringComparison.Ordinal)));
        Assert.False(ShaCrypt.Verify("s3cret", "{PLAIN}s3cret"));
        Assert.True(ShaCrypt.Verify("Hello world!",
            "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."));
        Assert.NotEqual(hash, ShaCrypt.Hash("s3cret"));
    }
}

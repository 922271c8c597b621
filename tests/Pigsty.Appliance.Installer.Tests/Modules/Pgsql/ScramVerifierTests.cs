using Pigsty.Appliance.Installer.Modules.Pgsql;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

public sealed class ScramVerifierTests
{
    // Computed independently (Python's hashlib.pbkdf2_hmac + hmac) for salt 00..0f and 4096 iterations.
    private const string Pencil = "SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$zHCdol2044/ZyWzPLi7oxApCkamKw9Z+E4U/QApd/5Y=:dd5peBOitVnLNFu7VmwP+HiDaaw4OUCv396eVCWhYiE=";

    [Fact]
    public void Computes_the_verifier_PostgreSQL_stores()
    {
        Assert.Equal(Pencil, ScramVerifier.Create("pencil", Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(), 4096));
    }

    [Fact]
    public void A_fresh_verifier_has_a_random_16_byte_salt_and_4096_iterations()
    {
        var one = ScramVerifier.Create("pencil");
        var two = ScramVerifier.Create("pencil");

        Assert.NotEqual(one, two);
        Assert.StartsWith("SCRAM-SHA-256$4096:", one, StringComparison.Ordinal);
        Assert.Equal(16, Convert.FromBase64String(one.Split('$')[1].Split(':')[1]).Length);
        Assert.True(ScramVerifier.Matches(one, "pencil"));
        Assert.True(ScramVerifier.Matches(two, "pencil"));
    }

    [Theory]
    [InlineData(Pencil, "pencil", true)]
    [InlineData(Pencil, "Pencil", false)]
    [InlineData(Pencil, "pencil ", false)]
    [InlineData("SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$zHCdol2044/ZyWzPLi7oxApCkamKw9Z+E4U/QApd/5Y=:", "pencil", false)]
    [InlineData("md5c2ee9ef7a8e4c5b9a39c3f9b3f0b8d12", "pencil", false)]
    [InlineData(null, "pencil", false)]
    public void Matches_only_its_own_password(string? verifier, string password, bool expected)
    {
        Assert.Equal(expected, ScramVerifier.Matches(verifier, password));
    }

    [Theory]
    [InlineData(Pencil, true)]
    [InlineData("md5c2ee9ef7a8e4c5b9a39c3f9b3f0b8d12", true)]
    [InlineData("md5C2EE9EF7A8E4C5B9A39C3F9B3F0B8D12", false)]
    [InlineData("SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$zHCdol2044", false)]
    [InlineData("pencil", false)]
    [InlineData(Pencil + "\n", false)]
    public void Recognises_what_PostgreSQL_takes_as_an_already_encrypted_password(string text, bool expected)
    {
        Assert.Equal(expected, ScramVerifier.IsVerifier(text));
    }

    [Theory]
    [InlineData("pencil", true)]
    [InlineData("p@ss w0rd!'\"", true)]
    [InlineData("", false)]
    [InlineData("pässword", false)]
    [InlineData("pass\u00a0word", false)]
    public void Hashes_only_passwords_SASLprep_leaves_alone(string password, bool expected)
    {
        Assert.Equal(expected, ScramVerifier.CanHash(password));
    }
}

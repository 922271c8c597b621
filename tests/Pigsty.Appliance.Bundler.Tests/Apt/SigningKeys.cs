using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Apt;

/// <summary>Two throw-away OpenPGP keys made with gpg for the test class: one the keyring trusts, one it does not know.</summary>
public sealed class SigningKeys : IDisposable
{
    private readonly TempDirectory _home = new();

    public SigningKeys()
    {
        Trusted = Generate("Test Archive <archive@test.invalid>");
        Stranger = Generate("Someone Else <else@test.invalid>");
        Expired = Generate("Old Archive <old@test.invalid>", "--faked-system-time", "20200101T000000", "1d");
        Keyring = Path.Combine(_home.Path, "trusted.gpg");
        Gpg("--output", Keyring, "--export", Trusted, Expired);
    }

    /// <summary>Fingerprint of the key the keyring holds.</summary>
    public string Trusted { get; }

    /// <summary>Fingerprint of a key the keyring does not hold.</summary>
    public string Stranger { get; }

    /// <summary>Fingerprint of a key the keyring holds but which expired in 2020.</summary>
    public string Expired { get; }

    /// <summary>A binary keyring with only <see cref="Trusted"/>, as gpgv wants it.</summary>
    public string Keyring { get; }

    /// <summary>Clear-signs <paramref name="text"/> with the given key.</summary>
    public byte[] ClearSign(string text, string key)
    {
        var input = Path.Combine(_home.Path, $"in-{Guid.NewGuid():N}");
        File.WriteAllText(input, text);
        string[] when = key == Expired ? ["--faked-system-time", "20200101T120000"] : [];
        Gpg([.. when, "--local-user", key, "--output", input + ".asc", "--clearsign", input]);
        return File.ReadAllBytes(input + ".asc");
    }

    /// <summary>A detached binary signature of <paramref name="text"/>.</summary>
    public byte[] DetachSign(string text, string key)
    {
        var input = Path.Combine(_home.Path, $"in-{Guid.NewGuid():N}");
        File.WriteAllText(input, text);
        Gpg("--local-user", key, "--output", input + ".sig", "--detach-sign", input);
        return File.ReadAllBytes(input + ".sig");
    }

    public void Dispose()
    {
        Run("gpgconf", "--kill", "gpg-agent");
        _home.Dispose();
    }

    private string Generate(string userId, params string[] expiry)
    {
        var (options, expires) = expiry.Length == 0 ? ([], "never") : (expiry[..^1], expiry[^1]);
        Gpg([.. options, "--passphrase", "", "--quick-generate-key", userId, "ed25519", "sign", expires]);
        var listing = Gpg("--with-colons", "--list-keys", userId);
        return listing.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    private string Gpg(params string[] arguments) =>
        Run("gpg", ["--batch", "--yes", "--pinentry-mode", "loopback", .. arguments]);

    private string Run(string tool, params string[] arguments) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments) with
        {
            Environment = new Dictionary<string, string?> { ["GNUPGHOME"] = _home.Path },
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None).GetAwaiter().GetResult().StandardOutput;
}

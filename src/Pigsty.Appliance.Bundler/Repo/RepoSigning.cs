namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>How to sign the repo: with a given OpenPGP secret key file, or a key generated for this build.</summary>
public sealed record RepoSigning
{
    /// <summary>An exported secret key (armored or binary); null generates an Ed25519 key in a throwaway keyring.</summary>
    public string? SecretKeyFile { get; init; }

    /// <summary>The passphrase of <see cref="SecretKeyFile"/>, if it has one; never logged.</summary>
    public string? Passphrase { get; init; }

    /// <summary>Where to save a generated secret key (armored, mode 0600) so later builds can sign with the same key.</summary>
    public string? SaveGeneratedKeyTo { get; init; }

    /// <summary>The user id of a generated key.</summary>
    public string GeneratedKeyUid { get; init; } = "Pigsty offline repository <repo@pigsty.invalid>";

    /// <summary>Signs with a key generated for this build.</summary>
    public static RepoSigning Generated() => new();

    /// <summary>Signs with the secret key in <paramref name="secretKeyFile"/>.</summary>
    public static RepoSigning WithKey(string secretKeyFile, string? passphrase = null) =>
        new() { SecretKeyFile = secretKeyFile, Passphrase = passphrase };
}

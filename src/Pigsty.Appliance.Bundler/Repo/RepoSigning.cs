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

    /// <summary>
    /// Signs with the build host's own key in <paramref name="keyFile"/>: made (Ed25519) and saved there (0600, in a 0700
    /// directory) on the first build, reused by every later one, so nodes keep trusting bundles rebuilt on this host.
    /// </summary>
    public static RepoSigning Persistent(string keyFile) =>
        File.Exists(keyFile) ? WithKey(keyFile) : Generated() with { SaveGeneratedKeyTo = keyFile };

    /// <summary>
    /// Where the build host keeps its repo signing key: <c>$XDG_CONFIG_HOME/pigsty-appliance/repo-signing-key.asc</c>, by default
    /// <c>~/.config/pigsty-appliance/repo-signing-key.asc</c>. Back it up: a new key means nodes must be given the new public key.
    /// </summary>
    public static string DefaultKeyFile(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "pigsty-appliance", "repo-signing-key.asc");
    }

    /// <summary>Signs with the secret key in <paramref name="secretKeyFile"/>.</summary>
    public static RepoSigning WithKey(string secretKeyFile, string? passphrase = null) =>
        new() { SecretKeyFile = secretKeyFile, Passphrase = passphrase };
}

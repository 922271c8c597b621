namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One signed apt suite to read: where it is, which components, and the keyring that must have signed it.</summary>
/// <param name="Upstream">The recipe's symbolic upstream name (e.g. <c>debian</c>, <c>debian-security</c>, <c>pgdg</c>).</param>
/// <param name="BaseUri">The archive root, e.g. the directory holding <c>dists/</c> and <c>pool/</c>.</param>
/// <param name="Suite">The suite or codename under <c>dists/</c>, e.g. <c>bookworm-updates</c>.</param>
/// <param name="Components">Components to read, e.g. <c>main</c>.</param>
/// <param name="Architecture">The binary architecture, e.g. <c>amd64</c>; <c>all</c> packages come with it.</param>
/// <param name="Keyring">Path of the OpenPGP keyring gpgv checks the Release signature against.</param>
public sealed record AptSource(
    string Upstream,
    Uri BaseUri,
    string Suite,
    IReadOnlyList<string> Components,
    string Architecture,
    string Keyring)
{
    /// <summary>True for packages this tool built itself (wrapped release binaries): every hash in their stanza was computed here.</summary>
    public bool BuiltHere { get; init; }
}

namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>A named package source in a recipe; a null <see cref="Url"/> means "resolve from the build host's apt sources".</summary>
/// <param name="Name">Symbolic name, e.g. <c>debian</c>, <c>debian-security</c>, <c>pgdg</c>.</param>
/// <param name="Url">Archive root, or null for the host's configured mirror of these suites.</param>
/// <param name="Suites">Suites under <c>dists/</c>.</param>
/// <param name="Components">Components to read, e.g. <c>main</c>.</param>
/// <param name="Keyring">OpenPGP keyring that must have signed the suites' Release files (absolute, or relative to the recipe).</param>
/// <param name="Enabled">Disabled upstreams are described for later use but not read.</param>
public sealed record UpstreamSpec(
    string Name,
    Uri? Url,
    IReadOnlyList<string> Suites,
    IReadOnlyList<string> Components,
    string Keyring,
    bool Enabled)
{
    /// <summary>
    /// With a null <see cref="Url"/>: the suite whose mirror on the build host serves these suites too (<c>url: host:bookworm</c>:
    /// a Debian 13 recipe on a Debian 12 host uses the mirror the host's apt sources name for bookworm); null = each suite itself.
    /// </summary>
    public string? HostSuite { get; init; }
}

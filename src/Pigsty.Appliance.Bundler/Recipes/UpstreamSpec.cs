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
    bool Enabled);

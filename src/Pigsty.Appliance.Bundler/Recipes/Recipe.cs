namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>What goes into a bundle: target OS and architecture, upstreams, and named package groups.</summary>
/// <param name="Name">Recipe name, e.g. <c>pigsty-d12</c>; also the lock file's name.</param>
/// <param name="Os">OS tag in the bundle name, e.g. <c>d12</c>.</param>
/// <param name="Architecture">Debian architecture, e.g. <c>amd64</c>.</param>
/// <param name="IncludeRequired">Whether the Priority: required / Essential base is part of the closure (needed to build an image from the bundle).</param>
/// <param name="Source">The recipe file it was read from.</param>
public sealed record Recipe(
    string Name,
    string Os,
    string Architecture,
    bool IncludeRequired,
    IReadOnlyList<UpstreamSpec> Upstreams,
    IReadOnlyList<PackageGroup> Groups,
    string Source)
{
    /// <summary>The machine name used in bundle file names: <c>amd64</c> → <c>x86_64</c>, as Pigsty names its tarballs.</summary>
    public string Machine => Architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        var other => other,
    };

    /// <summary>Components wrapped from release binaries (<c>binaries:</c>), enabled or not.</summary>
    public IReadOnlyList<BinarySpec> Binaries { get; init; } = [];

    /// <summary>The binary components this build wraps into packages.</summary>
    public IEnumerable<BinarySpec> EnabledBinaries => Binaries.Where(b => b.Enabled);

    /// <summary>The upstreams that take part in resolution.</summary>
    public IEnumerable<UpstreamSpec> EnabledUpstreams => Upstreams.Where(u => u.Enabled);

    /// <summary>The group with this name, or null.</summary>
    public PackageGroup? FindGroup(string name) => Groups.FirstOrDefault(g => g.Name == name);
}

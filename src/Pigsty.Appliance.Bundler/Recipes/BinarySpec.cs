namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>A component Debian does not ship, taken from a release binary and wrapped into a .deb by the bundler.</summary>
/// <param name="Name">The Debian package name, e.g. <c>minio</c>.</param>
/// <param name="Version">The Debian version of the package (validated).</param>
/// <param name="Source">Where the asset comes from: a GitHub release asset, a URL or a local file.</param>
/// <param name="Sha256">The asset's SHA-256 as the recipe pins it, or null (the lock file still pins it).</param>
/// <param name="FromArchive">True when <see cref="Files"/> are members of a .tar.gz, .tar.xz, .tar.zst or .zip asset; false when the asset is the binary itself.</param>
/// <param name="Files">What is installed: archive member (or empty for the bare asset) → absolute install path.</param>
/// <param name="Depends">Depends of the package, including those its service needs.</param>
/// <param name="Description">The one-line package synopsis.</param>
/// <param name="Homepage">The upstream project page, or null.</param>
/// <param name="Service">The systemd unit the package ships, or null.</param>
/// <param name="Enabled">Disabled components are described for connected sites but not built.</param>
public sealed record BinarySpec(
    string Name,
    string Version,
    BinarySource Source,
    string? Sha256,
    bool FromArchive,
    IReadOnlyList<BinaryFile> Files,
    IReadOnlyList<string> Depends,
    string Description,
    string? Homepage,
    ServiceSpec? Service,
    bool Enabled)
{
    /// <summary><c>binary NAME (source)</c>, the form every error about this component starts with.</summary>
    public string Label => $"binary {Name} ({Source})";
}

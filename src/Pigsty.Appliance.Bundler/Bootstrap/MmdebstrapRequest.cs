namespace Pigsty.Appliance.Bundler.Bootstrap;

/// <summary>A root filesystem to bootstrap from a flat repo alone.</summary>
/// <param name="RepoDirectory">The flat repo (a bundle's <c>pigsty/</c>), the only mirror.</param>
/// <param name="Target">A directory, or a <c>.tar</c> file.</param>
/// <param name="Include">Packages on top of the variant's base.</param>
/// <param name="Variant">mmdebstrap variant; minbase = Priority: required + apt.</param>
public sealed record MmdebstrapRequest(string RepoDirectory, string Target, IReadOnlyList<string> Include, string Variant = "minbase")
{
    /// <summary>Shell run before any package is unpacked, with the new root as $1 (mmdebstrap --setup-hook).</summary>
    public IReadOnlyList<string> SetupHooks { get; init; } = [];

    /// <summary>Commands run with the new root as $1 after packages are installed (mmdebstrap --customize-hook).</summary>
    public IReadOnlyList<string> CustomizeHooks { get; init; } = [];

    /// <summary>Variables set for mmdebstrap and so for apt, dpkg and every maintainer script it runs (e.g. <c>INITRD=No</c>).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>dpkg options for every package, e.g. <c>force-unsafe-io</c> or <c>path-exclude=/usr/share/man/*</c>.</summary>
    public IReadOnlyList<string> DpkgOptions { get; init; } = [];
}

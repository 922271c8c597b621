namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Extra options that point dpkg, dpkg-query and apt-get somewhere: none on a node; a test's own tree and dpkg database in tests.</summary>
/// <param name="DpkgOptions">Options for dpkg itself, e.g. <c>--root=DIR</c>.</param>
/// <param name="DpkgQueryOptions">Options for dpkg-query, e.g. <c>--admindir=DIR/var/lib/dpkg</c>.</param>
/// <param name="AptOptions">Options for apt-get, e.g. <c>-o Dir::State::status=…</c>.</param>
public sealed record AptEnvironment(IReadOnlyList<string> DpkgOptions, IReadOnlyList<string> DpkgQueryOptions, IReadOnlyList<string> AptOptions)
{
    /// <summary>The node's own dpkg and apt: no options.</summary>
    public static AptEnvironment Node { get; } = new([], [], []);
}

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>The apt source for the local (bundled) flat repository.</summary>
public static class AptSourceFile
{
    public const string Path = "/etc/apt/sources.list.d/pigsty.list";

    /// <summary>
    /// One flat-repo line: <c>[trusted=yes]</c> when the bundle ships no public key, else <c>[signed-by=<paramref name="keyring"/>]</c>
    /// so apt checks the repo's signed <c>Release</c>.
    /// </summary>
    public static string Render(string uri, string? keyring)
    {
        var options = keyring is null ? "trusted=yes" : $"signed-by={keyring}";
        return "# written by pigsty-appliance (NODE): the site's local repository, the only package source of this node\n"
            + $"deb [{options}] {uri} ./\n";
    }
}

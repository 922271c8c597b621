namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>The apt source for the local (bundled) flat repository.</summary>
public static class AptSourceFile
{
    public const string Path = "/etc/apt/sources.list.d/pigsty.list";

    /// <summary>
    /// One flat-repo line with <c>[signed-by=<paramref name="keyring"/>]</c>: apt checks the repo's signed <c>Release</c> against
    /// the key on this node's own disk (never <c>trusted=yes</c>: other nodes fetch over plain HTTP, which anyone on the LAN could answer).
    /// </summary>
    public static string Render(string uri, string keyring)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyring);
        return "# written by pigsty-appliance (NODE): the site's local repository, the only package source of this node\n"
            + $"deb [signed-by={keyring}] {uri} ./\n";
    }
}

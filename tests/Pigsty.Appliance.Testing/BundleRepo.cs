namespace Pigsty.Appliance.Testing;

/// <summary>
/// A local repository as a sealed bundle leaves it on a node, for tests that plan or install from one: the <c>Packages</c> index
/// and the <c>manifest.json</c> naming the target the node renders for (<c>os</c>).
/// </summary>
public static class BundleRepo
{
    /// <summary>Writes <c>repo/Packages</c> (<paramref name="packages"/>, stanzas) and <c>repo/manifest.json</c>; returns the directory.</summary>
    public static string Write(TempDirectory temp, string packages = "", string os = "d12")
    {
        ArgumentNullException.ThrowIfNull(temp);
        temp.Write("repo/manifest.json", $$"""{ "format": "pigsty-appliance-bundle/1", "os": "{{os}}" }""");
        return Path.GetDirectoryName(temp.Write("repo/Packages", packages))!;
    }
}

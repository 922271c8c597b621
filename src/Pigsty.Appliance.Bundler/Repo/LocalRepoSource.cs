using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>How the build host's own tools (the apt proof, mmdebstrap) name a repo it just wrote as their apt source.</summary>
public static class LocalRepoSource
{
    /// <summary>
    /// The source options for the repo in <paramref name="repoDirectory"/>: <c>signed-by</c> its own key when it is signed (apt
    /// then checks InRelease, as the nodes do), <c>trusted=yes</c> only for an unsigned repo, which only tests write.
    /// </summary>
    public static string Options(string repoDirectory)
    {
        var key = Path.Combine(Path.GetFullPath(repoDirectory), RepoLayout.PublicKey);
        return File.Exists(key) ? $"signed-by={key}" : "trusted=yes";
    }
}

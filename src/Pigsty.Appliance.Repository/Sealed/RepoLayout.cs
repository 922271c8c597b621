using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Repository.Sealed;

/// <summary>The well-known file names of Pigsty's flat offline repository (<c>/www/pigsty</c>).</summary>
public static class RepoLayout
{
    /// <summary>The directory the bundle extracts to under <c>/www</c>, and the tarball's root entry.</summary>
    public const string RootName = NodeLayout.RepoName;

    /// <summary>The plain package index.</summary>
    public const string Packages = "Packages";

    /// <summary>The gzip package index apt prefers.</summary>
    public const string PackagesGz = "Packages.gz";

    /// <summary>The unsigned release file listing the indexes' hashes.</summary>
    public const string Release = "Release";

    /// <summary>The clear-signed release file.</summary>
    public const string InRelease = "InRelease";

    /// <summary>The detached signature of <see cref="Release"/>.</summary>
    public const string ReleaseGpg = "Release.gpg";

    /// <summary>The public key that signed the release, for <c>[signed-by=/www/pigsty/pigsty.gpg]</c>.</summary>
    public const string PublicKey = "pigsty.gpg";

    /// <summary>The bundle manifest: metadata, package sources, every file.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>Pigsty's completeness marker, written last; lists every file's SHA-256 in sha256sum format.</summary>
    public const string Marker = "repo_complete";

    /// <summary>Files written from the signing step; stale ones must go when a repo is rewritten unsigned.</summary>
    public static readonly IReadOnlyList<string> SigningFiles = [InRelease, ReleaseGpg, PublicKey];

    /// <summary>The small text or key files verify keeps in memory to check (everything but the packages).</summary>
    public static readonly IReadOnlySet<string> MetadataFiles =
        new HashSet<string>([Packages, PackagesGz, Release, InRelease, ReleaseGpg, PublicKey, Manifest, Marker], StringComparer.Ordinal);

    /// <summary>True for a temp file one of our atomic writes leaves behind when the process is killed.</summary>
    public static bool IsLeftoverTemp(string name) =>
        name.StartsWith('.') && (name.EndsWith(".tmp", StringComparison.Ordinal) || name.EndsWith(".partial", StringComparison.Ordinal));

    /// <summary>Removes the completeness marker: any step that changes the repo calls this first, so a crash never leaves a stale marker.</summary>
    public static void Invalidate(string repoDir) => File.Delete(Path.Combine(repoDir, Marker));
}

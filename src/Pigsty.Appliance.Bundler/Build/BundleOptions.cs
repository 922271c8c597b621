using Pigsty.Appliance.Bundler.Binaries;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Bundler.Repo;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>Everything a bundle build needs besides the recipe's own content.</summary>
public sealed record BundleOptions
{
    /// <summary>The recipe file.</summary>
    public required string RecipePath { get; init; }

    /// <summary>Product version in the bundle name (pigsty-pkg-&lt;version&gt;…).</summary>
    public required string Version { get; init; }

    /// <summary>Where the bundle and its .sha256 go (dist/).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Where the repo is staged between runs (artifacts/bundle/); a warm rebuild reuses it.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Where lock files live (repo-manifests/).</summary>
    public required string LockDirectory { get; init; }

    /// <summary>Upstream name → archive URL, overriding the recipe and the host's apt sources.</summary>
    public IReadOnlyDictionary<string, Uri> Mirrors { get; init; } = new Dictionary<string, Uri>();

    /// <summary>Binary component name → source replacing the recipe's, which also enables the component (--binary NAME=FILE|URL).</summary>
    public IReadOnlyDictionary<string, BinarySource> BinarySources { get; init; } = new Dictionary<string, BinarySource>();

    /// <summary>How the GitHub REST API is reached for release-asset sources.</summary>
    public GitHubOptions GitHub { get; init; } = new();

    /// <summary>Package and index cache (content-addressed).</summary>
    public string CacheDirectory { get; init; } = PackageCache.DefaultRoot();

    /// <summary>Root whose /etc/apt sources resolve 'host' upstreams.</summary>
    public string HostRoot { get; init; } = "/";

    public LockMode LockMode { get; init; } = LockMode.Default;

    public PackFormat Format { get; init; } = PackFormat.Tgz;

    /// <summary>Sign the repo (InRelease + pigsty.gpg) so nodes need no [trusted=yes]; null = unsigned.</summary>
    public RepoSigning? Signing { get; init; }

    /// <summary>Downloads in flight at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>Prove the repo with stock apt and mmdebstrap after building it.</summary>
    public bool Prove { get; init; } = true;

    /// <summary>Prove even when a passed proof is recorded for the same repo content and proof inputs (--prove).</summary>
    public bool ForceProof { get; init; }
}

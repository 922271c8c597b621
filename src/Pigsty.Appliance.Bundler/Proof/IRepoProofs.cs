namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>The proofs a sealed repo goes through, as a seam: <see cref="BundleProof"/> runs the real tools, tests count calls.</summary>
public interface IRepoProofs
{
    /// <summary>What the proofs run with (the host's apt and mmdebstrap versions): part of the key a passed proof is recorded under.</summary>
    Task<string> ToolsAsync(CancellationToken cancellationToken);

    /// <summary>Stock apt installs every one of <paramref name="packages"/> from the repo alone; returns how many packages it would install.</summary>
    Task<int> ProveInstallableAsync(string repoDir, IReadOnlyList<string> packages, CancellationToken cancellationToken);

    /// <summary>mmdebstrap bootstraps <paramref name="include"/> with the repo as its only mirror.</summary>
    Task ProveBootstrapAsync(string repoDir, IReadOnlyList<string> include, CancellationToken cancellationToken);
}

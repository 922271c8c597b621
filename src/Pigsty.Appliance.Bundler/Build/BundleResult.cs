using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Core.Pipelines;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>A finished bundle: the tarball, what went in, what the fetch cost, and per-step timings.</summary>
public sealed record BundleResult(
    PackResult Pack,
    string RepoDirectory,
    string LockPath,
    int Packages,
    FetchSummary Fetch,
    IReadOnlyList<StepTiming> Timings,
    IReadOnlyList<string> LockChanges,
    bool LockWritten,
    int? ProofInstalls)
{
    /// <summary>The fingerprint of the key that signed the repo, or null for an unsigned one.</summary>
    public string? SigningFingerprint { get; init; }

    /// <summary>The proof record reused instead of proving again, or null when the proofs ran (or were skipped).</summary>
    public ProofRecord? ReusedProof { get; init; }
}

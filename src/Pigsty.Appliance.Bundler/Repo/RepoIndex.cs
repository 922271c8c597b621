using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>What the repo writer wrote: each index, release, signature and key file with its hash, and the signer.</summary>
/// <param name="Files">Every file written, with size and SHA-256 (reusable by the sealer).</param>
/// <param name="Packages">How many packages the index lists.</param>
/// <param name="SigningFingerprint">The fingerprint of the signing key, or null for an unsigned repo.</param>
public sealed record RepoIndex(IReadOnlyList<RepoFile> Files, int Packages, string? SigningFingerprint);

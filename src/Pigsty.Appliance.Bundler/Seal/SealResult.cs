using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Seal;

/// <summary>What sealing wrote: every file <c>repo_complete</c> lists, and how many hashes were reused rather than computed.</summary>
/// <param name="Files">Every file of the repo except the marker itself, sorted by name.</param>
/// <param name="Reused">Files whose SHA-256 came from the fetch or index step (size re-checked).</param>
/// <param name="Hashed">Files hashed here because no step vouched for them.</param>
/// <param name="Elapsed">Time the seal took.</param>
public sealed record SealResult(IReadOnlyList<RepoFile> Files, int Reused, int Hashed, TimeSpan Elapsed);

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>What to prove of a sealed repo.</summary>
/// <param name="RepoDirectory">The sealed repo (its <c>repo_complete</c> names the content).</param>
/// <param name="Recipe">The recipe the repo was built from, named in the record.</param>
/// <param name="Installable">Packages stock apt must install from the repo alone.</param>
/// <param name="Bootstrap">Packages mmdebstrap must bootstrap from it; empty skips that proof.</param>
public sealed record ProofRequest(string RepoDirectory, string Recipe, IReadOnlyList<string> Installable, IReadOnlyList<string> Bootstrap);

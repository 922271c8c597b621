namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>A proof that passed: the <see cref="ProofKey"/> digest it stands for, what stock apt would install, and whether mmdebstrap bootstrapped.</summary>
/// <param name="Key">The digest of the repo content and proof inputs that were proven.</param>
/// <param name="Recipe">The recipe whose repo was proven (for a person reading the record; the key alone decides).</param>
/// <param name="Installs">Packages <c>apt-get install -s</c> would install from the repo alone.</param>
/// <param name="Bootstrapped">True when the mmdebstrap proof ran too (the recipe has an image-base group).</param>
/// <param name="Proven">When the proofs passed.</param>
public sealed record ProofRecord(string Key, string Recipe, int Installs, bool Bootstrapped, DateTimeOffset Proven);

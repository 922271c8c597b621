namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>A proof that passed: the <see cref="ProofKey"/> digest it stands for, what stock apt would install, and whether mmdebstrap bootstrapped.</summary>
/// <param name="Key">The digest of the repo content and proof inputs that were proven.</param>
/// <param name="Installs">Packages <c>apt-get install -s</c> would install from the repo alone.</param>
/// <param name="Bootstrapped">True when the mmdebstrap proof ran too (the recipe has an image-base group).</param>
/// <param name="Proven">When the proofs passed.</param>
public sealed record ProofRecord(string Key, int Installs, bool Bootstrapped, DateTimeOffset Proven);

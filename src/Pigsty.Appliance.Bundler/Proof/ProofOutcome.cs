namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>A repo proven now or earlier.</summary>
/// <param name="Record">The passed proof that stands for the repo.</param>
/// <param name="Reused">True when the record was found for the same key and the proofs did not run.</param>
public sealed record ProofOutcome(ProofRecord Record, bool Reused);

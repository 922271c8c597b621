namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>What the proof record file says about one key.</summary>
/// <param name="Found">The passed proof recorded for the key, or null.</param>
/// <param name="Ignored">Why the file was not trusted (it does not parse, or holds a malformed record), or null when it was read.</param>
public sealed record ProofLookup(ProofRecord? Found, string? Ignored);

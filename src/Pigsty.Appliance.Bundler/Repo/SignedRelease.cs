namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>The outputs of signing a Release: clear-signed and detached forms, and the public key that checks them.</summary>
internal sealed record SignedRelease(string Fingerprint, byte[] InRelease, byte[] DetachedSignature, byte[] PublicKey);

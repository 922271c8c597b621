namespace Pigsty.Appliance.Repository.Verify;

/// <summary>A bundle that passed verification: what was checked and how long it took.</summary>
/// <param name="Path">The directory or tarball checked.</param>
/// <param name="Kind"><c>directory</c>, <c>tgz</c> or <c>tar.zst</c>.</param>
/// <param name="Files">Files in the repo, marker included.</param>
/// <param name="Packages">Packages the index lists.</param>
/// <param name="Bytes">Total size of the repo's files.</param>
/// <param name="Signed">True when InRelease/Release.gpg were present and verified against the bundled key.</param>
/// <param name="SidecarChecked">True when a <c>.sha256</c> beside the tarball was present and matched.</param>
/// <param name="Elapsed">Time the verification took.</param>
public sealed record VerifyReport(string Path, string Kind, int Files, int Packages, long Bytes, bool Signed, bool SidecarChecked, TimeSpan Elapsed);

namespace Pigsty.Appliance.Bundler.Pack;

/// <summary>A packed bundle: where it and its <c>.sha256</c> are, its size and digest, and what it took.</summary>
/// <param name="Path">The bundle file.</param>
/// <param name="ChecksumPath">The <c>sha256sum</c>-format sidecar beside it.</param>
/// <param name="Size">The bundle's size in bytes.</param>
/// <param name="Sha256">The bundle's SHA-256.</param>
/// <param name="Entries">Tar entries written (the root directory and each file).</param>
/// <param name="InputBytes">Bytes of repo files packed.</param>
/// <param name="Elapsed">Time the pack took, sidecar included.</param>
public sealed record PackResult(string Path, string ChecksumPath, long Size, string Sha256, int Entries, long InputBytes, TimeSpan Elapsed);

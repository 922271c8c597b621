namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>A release asset in the content-addressed cache: its cache path, name, size, SHA-256, and where it came from.</summary>
/// <param name="Origin">The URL it was (or would be) downloaded from; <c>file:</c> for a local file.</param>
/// <param name="FromCache">True when no download or copy was needed.</param>
public sealed record AcquiredAsset(string Path, string Name, long Size, string Sha256, Uri Origin, bool FromCache);

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>One file of a bundle as read: size and SHA-256 of what was actually there, and the bytes of small metadata files.</summary>
internal sealed record SnapshotFile(string Name, long Size, string Sha256, byte[]? Content);

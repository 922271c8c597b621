namespace Pigsty.Appliance.Repository.Apt;

/// <summary>One line of a Release file's SHA256 list: an index file, its size and digest.</summary>
public sealed record ReleaseEntry(string Path, long Size, string Sha256);

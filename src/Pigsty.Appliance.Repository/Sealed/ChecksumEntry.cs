namespace Pigsty.Appliance.Repository.Sealed;

/// <summary>One line of a sha256sum-format list: a digest and a file name.</summary>
public sealed record ChecksumEntry(string Sha256, string Name);

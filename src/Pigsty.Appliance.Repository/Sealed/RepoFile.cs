namespace Pigsty.Appliance.Repository.Sealed;

/// <summary>One file of the flat repository as a step wrote or verified it: name in the repo directory, size and SHA-256.</summary>
public sealed record RepoFile(string Name, long Size, string Sha256);

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>One asset of a GitHub release: its name, where to download it, and the size GitHub reports.</summary>
public sealed record ReleaseAsset(string Name, Uri DownloadUrl, long Size);

namespace Pigsty.Appliance.Core.Net;

/// <summary>A finished download: where it is, how big, its SHA-256, and how many attempts it took.</summary>
public sealed record DownloadResult(string Path, long Size, string Sha256, int Attempts);

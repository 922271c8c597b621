namespace Pigsty.Appliance.Repository.Verify;

/// <summary>Everything read from a bundle (a directory or a tarball) in one pass, and the problems met while reading.</summary>
internal sealed class BundleSnapshot
{
    /// <summary>The files by name.</summary>
    public Dictionary<string, SnapshotFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Problems found while reading (unexpected entries, truncation).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The SHA-256 of the tarball itself, for its <c>.sha256</c>; null for a directory.</summary>
    public string? ArchiveSha256 { get; set; }

    /// <summary>The content of a metadata file, or null when absent.</summary>
    public byte[]? Content(string name) => Files.TryGetValue(name, out var file) ? file.Content : null;
}

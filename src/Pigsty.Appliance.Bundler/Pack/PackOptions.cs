using System.IO.Compression;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Bundler.Pack;

/// <summary>How to pack the repo: container format, fixed timestamp, and compression effort.</summary>
public sealed record PackOptions
{
    /// <summary>The container format.</summary>
    public PackFormat Format { get; init; } = PackFormat.Tgz;

    /// <summary>The mtime of every entry (the bundle time), so that equal inputs give a byte-identical bundle.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The gzip effort for <see cref="PackFormat.Tgz"/>.</summary>
    /// <remarks>
    /// Stored deflate blocks by default: .deb members are already xz/zstd-compressed. Measured on the 244-package,
    /// 191 MiB Pigsty closure: no compression 0.2 s / 190.6 MiB, Fastest 3 s / 200.5 MiB (larger), Optimal 4 s / 190.2 MiB.
    /// </remarks>
    public CompressionLevel GzipLevel { get; init; } = CompressionLevel.NoCompression;

    /// <summary>The zstd level for <see cref="PackFormat.TarZst"/>, 1 to 19 (3 is zstd's default).</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary>zstd worker threads; 0 means one per core. The bytes are the same whatever the count.</summary>
    public int ZstdThreads { get; init; }

    /// <summary>The file name extension a format gets.</summary>
    public static string ExtensionOf(PackFormat format) => format == PackFormat.TarZst ? ".tar.zst" : ArtifactNames.BundleExtension;
}

namespace Pigsty.Appliance.Repository.Archives;

/// <summary>An archive format read in-process, recognised by its first bytes rather than its name.</summary>
public enum ArchiveFormat
{
    /// <summary>tar through gzip (<c>.tgz</c>, <c>.tar.gz</c>).</summary>
    TarGz,

    /// <summary>tar through xz (<c>.tar.xz</c>).</summary>
    TarXz,

    /// <summary>tar through zstd (<c>.tar.zst</c>).</summary>
    TarZst,

    /// <summary>zip, with Unix modes and symlinks from its central directory.</summary>
    Zip,
}

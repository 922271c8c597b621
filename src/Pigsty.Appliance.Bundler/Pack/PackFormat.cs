namespace Pigsty.Appliance.Bundler.Pack;

/// <summary>The bundle's container format.</summary>
public enum PackFormat
{
    /// <summary><c>.tgz</c>, what Pigsty users extract with <c>tar -xf pkg.tgz -C /www</c>.</summary>
    Tgz,

    /// <summary><c>.tar.zst</c>, compressed in-process, multi-threaded, by SharpCompress's zstd.</summary>
    TarZst,
}

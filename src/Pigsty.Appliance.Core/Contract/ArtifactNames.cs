namespace Pigsty.Appliance.Core.Contract;

/// <summary>The file names of what the build host makes: bundles <c>pigsty-pkg-…</c> and images <c>pigsty-appliance-…</c>.</summary>
public static class ArtifactNames
{
    /// <summary>The bundle name prefix, as Pigsty names its offline packages.</summary>
    public const string BundlePrefix = "pigsty-pkg";

    /// <summary>The image name prefix.</summary>
    public const string ImagePrefix = "pigsty-appliance";

    /// <summary>The bundle format Pigsty users extract with <c>tar -xf … -C /www</c>.</summary>
    public const string BundleExtension = ".tgz";

    /// <summary>The raw disk image; other formats replace the extension with their own (<c>.qcow2</c>, <c>.vmdk</c>, <c>.vhdx</c>).</summary>
    public const string RawImageExtension = ".img";

    /// <summary>Beside the images: the packages installed in the image.</summary>
    public const string PackageManifestExtension = ".packages.json";

    /// <summary>Beside the images: their checksums (one file for every image definition built into the folder).</summary>
    public const string ImageChecksums = "SHA256SUMS";

    /// <summary><c>&lt;prefix&gt;-&lt;version&gt;.&lt;os&gt;.&lt;arch&gt;</c>, e.g. <c>pigsty-pkg-0.1.0.d12.x86_64</c>.</summary>
    public static string Stem(string prefix, string version, string os, string architecture) => $"{prefix}-{version}.{os}.{architecture}";

    /// <summary>The bundle tarball, e.g. <c>pigsty-pkg-0.1.0.d12.x86_64.tgz</c>.</summary>
    public static string Bundle(string version, string os, string architecture) =>
        Stem(BundlePrefix, version, os, architecture) + BundleExtension;

    /// <summary>
    /// The image's name without extension, e.g. <c>pigsty-appliance-0.1.0.d12.x86_64</c>; another image definition than the default
    /// (<paramref name="variant"/>, its name) goes beside it as <c>pigsty-appliance-plain-d12-0.1.0.d12.x86_64</c>, never over it.
    /// </summary>
    public static string ImageStem(string version, string os, string architecture, string? variant = null) =>
        Stem(variant is null ? ImagePrefix : $"{ImagePrefix}-{variant}", version, os, architecture);

    /// <summary>The raw image, e.g. <c>pigsty-appliance-0.1.0.d12.x86_64.img</c>.</summary>
    public static string RawImage(string version, string os, string architecture, string? variant = null) =>
        ImageStem(version, os, architecture, variant) + RawImageExtension;

    /// <summary>The package manifest beside an image (any of its formats).</summary>
    public static string PackageManifestOf(string image) => Path.ChangeExtension(image, PackageManifestExtension);
}

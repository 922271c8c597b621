using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One binary package from a signed Packages index: identity, where to fetch it, and its full control stanza.</summary>
/// <param name="Name">Package name.</param>
/// <param name="Version">Debian version string (compare with <c>DebianVersion</c>, never as text).</param>
/// <param name="Architecture">amd64, all, …</param>
/// <param name="Filename">Path relative to the source's base URI, e.g. <c>pool/main/p/pgbouncer/pgbouncer_1.18.0-1_amd64.deb</c>.</param>
/// <param name="Size">Size in bytes from the index.</param>
/// <param name="Sha256">SHA-256 from the index (lowercase hex).</param>
/// <param name="Source">The apt source whose signed index listed it.</param>
/// <param name="Stanza">The whole Packages paragraph, used to write our own index.</param>
public sealed record PackageRecord(
    string Name,
    string Version,
    string Architecture,
    string Filename,
    long Size,
    string Sha256,
    AptSource Source,
    ControlStanza Stanza)
{
    /// <summary>The absolute URL to download the .deb from.</summary>
    public Uri Url => new(Source.BaseUri, Filename);

    /// <summary>The flat-repo file name, <c>name_version_arch.deb</c> with the epoch's colon escaped as apt does.</summary>
    public string DebFileName => $"{Name}_{Version.Replace(":", "%3a", StringComparison.Ordinal)}_{Architecture}.deb";

    /// <summary><c>name=version/arch</c>, the form used in messages and lock diffs.</summary>
    public override string ToString() => $"{Name}={Version}/{Architecture}";
}

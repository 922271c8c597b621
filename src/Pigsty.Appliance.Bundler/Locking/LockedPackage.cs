using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Bundler.Locking;

/// <summary>One package as a lock file pins it: exact identity, pool path, size, SHA-256 and upstream.</summary>
public sealed record LockedPackage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("arch")] string Architecture,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("upstream")] string Upstream)
{
    /// <summary><c>name=version/arch</c>, as in messages.</summary>
    public override string ToString() => $"{Name}={Version}/{Architecture}";
}

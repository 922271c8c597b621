using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Bundler.Locking;

/// <summary>One binary component as a lock file pins it: package name and version, where the asset came from, and the asset's size and SHA-256.</summary>
public sealed record LockedBinary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("asset")] string Asset,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256)
{
    /// <summary><c>name=version (asset)</c>, as in messages.</summary>
    public override string ToString() => $"{Name}={Version} ({Asset}, sha256 {Sha256})";
}

using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>The whole of <c>/var/lib/pigsty/status.json</c>: read by the portal, the console banner, boot tests and people.</summary>
public sealed record InstallStatus(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("hostname")] string? Hostname,
    [property: JsonPropertyName("seed")] string? Seed,
    [property: JsonPropertyName("bundle")] string? Bundle,
    [property: JsonPropertyName("started")] DateTimeOffset Started,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated,
    [property: JsonPropertyName("modules")] IReadOnlyList<ModuleStatus> Modules,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("failed_step")] string? FailedStep,
    [property: JsonPropertyName("portal")] string? Portal,
    [property: JsonPropertyName("credentials")] string Credentials,
    [property: JsonPropertyName("phases")] IReadOnlyDictionary<string, DateTimeOffset> Phases)
{
    /// <summary>The instance id a NoCloud seed's meta-data gives (none for other seeds).</summary>
    [JsonPropertyName("instance_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InstanceId { get; init; }

    /// <summary>Set when the result is not written back to the seed volume, saying why (read-only media).</summary>
    [JsonPropertyName("seed_write_back")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SeedWriteBack { get; init; }

    /// <summary>On the seed volume's copy only: the keys and secrets wiped from the volume after a successful install.</summary>
    [JsonPropertyName("seed_wiped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? SeedWiped { get; init; }
}

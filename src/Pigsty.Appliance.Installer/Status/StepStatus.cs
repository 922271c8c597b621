using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>One step in status.json.</summary>
public sealed record StepStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("error")] string? Error);

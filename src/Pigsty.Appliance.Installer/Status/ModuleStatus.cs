using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>One module in status.json: pending, running, done, skipped or failed.</summary>
public sealed record ModuleStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("steps")] IReadOnlyList<StepStatus> Steps);

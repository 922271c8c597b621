using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>One module in status.json: pending, running, done, skipped, stopped or failed.</summary>
/// <param name="Seconds">From the module's first step starting to its last settling (modules run side by side).</param>
public sealed record ModuleStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("steps")] IReadOnlyList<StepStatus> Steps)
{
    /// <summary>When the module's first step started.</summary>
    [JsonPropertyName("started")]
    public DateTimeOffset? Started { get; init; }

    /// <summary>When its last step settled, once all have.</summary>
    [JsonPropertyName("finished")]
    public DateTimeOffset? Finished { get; init; }
}

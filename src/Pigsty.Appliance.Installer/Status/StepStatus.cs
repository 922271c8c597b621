using System.Text.Json.Serialization;
using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>One step in status.json: its state, when it ran, what it waited for and what it said.</summary>
public sealed record StepStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("error")] string? Error)
{
    /// <summary>The steps this one waits for (its dependencies in the plan).</summary>
    [JsonPropertyName("after")]
    public IReadOnlyList<string> After { get; init; } = [];

    /// <summary>When the step started, or null while it waits.</summary>
    [JsonPropertyName("started")]
    public DateTimeOffset? Started { get; init; }

    /// <summary>When the step settled, or null.</summary>
    [JsonPropertyName("finished")]
    public DateTimeOffset? Finished { get; init; }

    /// <summary>The dependency that settled last, i.e. what the step waited for before it could start.</summary>
    [JsonPropertyName("waited_for")]
    public string? WaitedFor { get; init; }

    /// <summary>Readiness waits inside the step (ports, HTTP answers, commands) and how long each took.</summary>
    [JsonPropertyName("waits")]
    public IReadOnlyList<StepWait> Waits { get; init; } = [];

    /// <summary>What the step said, e.g. how many of its packages were installed already.</summary>
    [JsonPropertyName("notes")]
    public IReadOnlyList<string> Notes { get; init; } = [];
}

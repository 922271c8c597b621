using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>One first-boot step on the report's timeline: seconds from QEMU's start to its start and end, and whether it had work.</summary>
public sealed record StepSpan(
    [property: JsonPropertyName("module")] string Module,
    [property: JsonPropertyName("step")] string Title,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End,
    [property: JsonPropertyName("already_done")] bool AlreadyDone);

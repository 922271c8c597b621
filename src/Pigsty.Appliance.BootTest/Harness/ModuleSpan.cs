using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>One module on the report's timeline: from its first step's start to its last step's end (seconds from QEMU's start).</summary>
public sealed record ModuleSpan(
    [property: JsonPropertyName("module")] string Module,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("applied")] int Applied);

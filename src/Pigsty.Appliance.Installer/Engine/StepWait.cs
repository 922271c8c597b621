using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>One readiness wait inside a step: what it waited for (a port, an HTTP answer, a command), how long, and whether it came.</summary>
public sealed record StepWait(
    [property: JsonPropertyName("what")] string What,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("ok")] bool Succeeded);

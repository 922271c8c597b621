using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>What one boot showed: firmware, accelerator, phase times (seconds from QEMU start), result line, host checks.</summary>
public sealed record BootTestRun(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("firmware")] string Firmware,
    [property: JsonPropertyName("accelerator")] string Accelerator,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("phases")] IReadOnlyDictionary<string, double> Phases,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("checks")] IReadOnlyList<CheckResult> Checks,
    [property: JsonPropertyName("serial_log")] string SerialLog)
{
    /// <summary>Measured figures beyond boot phases (e.g. seconds to a writable PostgreSQL, the bare apt-get install time).</summary>
    [JsonPropertyName("figures")]
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();

    /// <summary>When each module and step of (this run's last) first boot ran; null for a run that does not follow first boot.</summary>
    [JsonPropertyName("timeline")]
    public FirstBootTimeline? Timeline { get; init; }
}

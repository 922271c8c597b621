using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>One host-side check of a booted guest: what was checked, whether it held, and what was seen.</summary>
public sealed record CheckResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("skipped")] bool Skipped = false)
{
    /// <summary>A check that could not apply (e.g. a module skipped because the bundle lacks it); reported, never counted as passed.</summary>
    public static CheckResult Skip(string name, string why) => new(name, false, why, Skipped: true);
}

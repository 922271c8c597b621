using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>What one <c>ha-load write</c> or <c>read</c> printed: whether it held, the rows it counted, and what it saw.</summary>
public sealed record HaLoadResult(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("detail")] string Detail);

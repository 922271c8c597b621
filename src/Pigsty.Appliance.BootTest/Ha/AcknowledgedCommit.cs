using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>One commit of the write load the server acknowledged: the row's id and when the acknowledgement arrived (UTC).</summary>
public sealed record AcknowledgedCommit(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] DateTime At);

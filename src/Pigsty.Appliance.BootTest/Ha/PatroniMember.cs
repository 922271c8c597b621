using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>One row of <c>patronictl list -f json</c>: member, host, role (Leader, Replica, Sync Standby), state, timeline, lag in MB (null for the leader).</summary>
public sealed record PatroniMember(
    [property: JsonPropertyName("Member")] string Member,
    [property: JsonPropertyName("Host")] string Host,
    [property: JsonPropertyName("Role")] string Role,
    [property: JsonPropertyName("State")] string State,
    [property: JsonPropertyName("TL")] int? Timeline,
    [property: JsonPropertyName("Lag in MB")] System.Text.Json.JsonElement? Lag)
{
    /// <summary>True for the leader.</summary>
    [JsonIgnore]
    public bool IsLeader => Role == "Leader";

    /// <summary>Lag in MB when patronictl knew it (it writes <c>unknown</c> for a replica that reported no position).</summary>
    [JsonIgnore]
    public int? LagMegabytes => Lag is { ValueKind: System.Text.Json.JsonValueKind.Number } lag ? lag.GetInt32() : null;
}

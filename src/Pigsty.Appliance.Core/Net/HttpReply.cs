using System.Net;

namespace Pigsty.Appliance.Core.Net;

/// <summary>A small HTTP response read whole: status, headers (case-insensitive names, values joined with ", ") and body.</summary>
public sealed record HttpReply(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The header's value, or null when absent.</summary>
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

using System.Globalization;
using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>One attempt of the write load that did not commit: its id, when it gave up (UTC) and why.</summary>
public sealed record FailedAttempt(
    [property: JsonPropertyName("failed")] long Id,
    [property: JsonPropertyName("at")] DateTime At,
    [property: JsonPropertyName("error")] string Error)
{
    /// <summary>The attempts after <paramref name="since"/> in one phrase: how many, and each kind of error with its count.</summary>
    public static string Describe(IEnumerable<FailedAttempt> failures, DateTime since)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var after = failures.Where(f => f.At > since).ToList();
        if (after.Count == 0)
        {
            return "no failed attempt after the kill";
        }

        var kinds = after.GroupBy(f => f.Error.Length > 70 ? f.Error[..70] : f.Error)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()}× {g.Key}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{after.Count} failed attempt(s) after the kill, the last {(after[^1].At - since).TotalSeconds:0.0} s after it: {string.Join("; ", kinds)}");
    }
}

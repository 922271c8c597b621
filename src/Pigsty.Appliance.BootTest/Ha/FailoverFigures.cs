using System.Globalization;
using System.Text.Json.Serialization;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// What a failover cost the write load: RTO (from the last commit acknowledged before the primary was killed to the first one after)
/// and the acknowledged commits the new primary does not have.
/// </summary>
public sealed record FailoverFigures(
    [property: JsonPropertyName("acknowledged")] int Acknowledged,
    [property: JsonPropertyName("before_kill")] int BeforeKill,
    [property: JsonPropertyName("after_kill")] int AfterKill,
    [property: JsonPropertyName("rto_seconds")] double? RtoSeconds,
    [property: JsonPropertyName("lost")] IReadOnlyList<long> Lost)
{
    /// <summary>Figures of the commit log <paramref name="commits"/> around <paramref name="killedAt"/>; <paramref name="present"/> are the ids the new primary has.</summary>
    /// <remarks>RTO is null when no commit was acknowledged after the kill (the cluster never took writes again) or none before it.</remarks>
    public static FailoverFigures Of(IReadOnlyList<AcknowledgedCommit> commits, DateTime killedAt, IReadOnlySet<long> present)
    {
        ArgumentNullException.ThrowIfNull(commits);
        ArgumentNullException.ThrowIfNull(present);
        var before = commits.Where(c => c.At <= killedAt).ToList();
        var after = commits.Where(c => c.At > killedAt).ToList();
        double? rto = before.Count > 0 && after.Count > 0 ? Math.Round((after.Min(c => c.At) - before.Max(c => c.At)).TotalSeconds, 2) : null;
        var lost = commits.Select(c => c.Id).Where(id => !present.Contains(id)).Distinct().Order().ToList();
        return new FailoverFigures(commits.Count, before.Count, after.Count, rto, lost);
    }

    /// <summary>One line for the report.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"RTO {(RtoSeconds is { } r ? $"{r:0.0} s" : "unknown (no commit on one side of the kill)")}; ")
        + string.Create(CultureInfo.InvariantCulture, $"{Acknowledged} commits acknowledged ({BeforeKill} before the kill, {AfterKill} after), {Lost.Count} missing on the new primary")
        + (Lost.Count > 0 ? $" (ids {string.Join(", ", Lost.Take(20))}{(Lost.Count > 20 ? ", …" : "")})" : "");
}

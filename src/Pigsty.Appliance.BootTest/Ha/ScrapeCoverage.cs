using System.Net;
using System.Text.Json;
using Pigsty.Appliance.BootTest.Harness;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// VictoriaMetrics' <c>up</c> on the infra node, asked on the node itself: every node of the site has each expected job's target
/// scraped and up (the series carry Pigsty's <c>ip</c> label).
/// </summary>
public static class ScrapeCoverage
{
    /// <summary>The check's name.</summary>
    public const string CheckName = "the infra node scrapes every node: up == 1 for node, etcd, pgsql, pgbouncer and patroni of each";

    /// <summary>The jobs every node of the HA site runs a target of.</summary>
    public static readonly IReadOnlyList<string> Jobs = ["node", "etcd", "pgsql", "pgbouncer", "patroni"];

    /// <summary>The guest command, on the infra node (VictoriaMetrics listens on 8428).</summary>
    public const string Command = "curl -fsS --max-time 20 'http://127.0.0.1:8428/api/v1/query?query=up'";

    /// <summary>Judges the query's JSON: each of <paramref name="nodes"/> has a target of each job, and every such target is up (1).</summary>
    public static CheckResult Judge(bool succeeded, string output, IReadOnlyList<IPAddress> nodes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(nodes);
        List<(string Job, string Ip, string Value)> series;
        try
        {
            using var document = JsonDocument.Parse(output);
            series = [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r =>
            {
                var metric = r.GetProperty("metric");
                return (Label(metric, "job"), Label(metric, "ip"), r.GetProperty("value")[1].GetString() ?? "");
            })];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            return new CheckResult(CheckName, false, $"curl {(succeeded ? "printed no query result" : "failed")}: {CheckRetry.Squash(output)}");
        }

        var names = nodes.Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal);
        var missing = nodes.SelectMany(n => Jobs.Select(j => $"{j}@{n}"))
            .Where(w => !series.Any(s => $"{s.Job}@{s.Ip}" == w)).ToList();
        var down = series.Where(s => names.Contains(s.Ip) && Jobs.Contains(s.Job) && s.Value != "1")
            .Select(s => $"{s.Job}@{s.Ip}").Distinct().ToList();
        return new CheckResult(CheckName, succeeded && missing.Count == 0 && down.Count == 0,
            $"{series.Count} series, {series.Count(s => s.Value == "1")} up"
            + (missing.Count > 0 ? $"; no target: {string.Join(", ", missing)}" : "")
            + (down.Count > 0 ? $"; down: {string.Join(", ", down)}" : ""));
    }

    private static string Label(JsonElement metric, string name) =>
        metric.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}

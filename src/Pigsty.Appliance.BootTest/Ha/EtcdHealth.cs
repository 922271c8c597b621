using System.Text.Json;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Installer.Modules.Etcd;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// <c>etcdctl endpoint status --cluster -w json</c> on a node: every member the member list names answers over the test network,
/// all in one cluster, all following the same leader. Status and the member list need no etcd login, so the check needs no
/// secret (endpoint health reads a key, which etcd refuses without a user once RBAC is on).
/// </summary>
public static class EtcdHealth
{
    /// <summary>The check's name.</summary>
    public const string CheckName = "etcd has three healthy members";

    /// <summary>The guest command: TLS with the site CA the installer copied beside the member's certificate.</summary>
    public static string Command(System.Net.IPAddress node) =>
        $"sudo etcdctl --endpoints=https://{node}:2379 --cacert={EtcdSettings.CaPath} endpoint status --cluster -w json";

    /// <summary>Judges the command's output: one answering member per expected node, one cluster id, one leader they all name.</summary>
    public static CheckResult Judge(bool succeeded, string output, IReadOnlyList<System.Net.IPAddress> nodes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(nodes);
        var members = Parse(output);
        if (members is null)
        {
            return new CheckResult(CheckName, false, $"etcdctl {(succeeded ? "printed no status list" : "failed")}: {CheckRetry.Squash(output)}");
        }

        var missing = nodes.Where(n => !members.Any(m => m.Endpoint.Contains($"//{n}:", StringComparison.Ordinal))).ToList();
        var clusters = members.Select(m => m.Cluster).Distinct().Count();
        var leader = LeaderOf(members);
        var ok = succeeded && members.Count == nodes.Count && missing.Count == 0 && clusters == 1 && leader is not null;
        return new CheckResult(CheckName, ok,
            $"{members.Count} member(s) answered ({string.Join(", ", members.Select(m => m.Endpoint))}); {clusters} cluster id(s); "
            + (leader is not null ? $"all follow the leader at {leader}"
                : $"leaders named: {string.Join(", ", members.Select(m => m.Leader).Distinct().Select(l => l.ToString("x", System.Globalization.CultureInfo.InvariantCulture)))}")
            + (missing.Count > 0 ? $"; did not answer: {string.Join(", ", missing)}" : "")
            + (succeeded ? "" : "; etcdctl exited non-zero"));
    }

    /// <summary>The endpoint of the member every answering member follows, from the command's output; null when they disagree or it did not answer.</summary>
    public static string? Leader(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Parse(output) is { } members ? LeaderOf(members) : null;
    }

    /// <summary>The endpoint of the one leader all <paramref name="members"/> name, when it is one of them; else null.</summary>
    private static string? LeaderOf(List<(string Endpoint, ulong Cluster, ulong Member, ulong Leader)> members) =>
        members.Select(m => m.Leader).Distinct().ToList() is [var leader] && members.Any(m => m.Member == leader)
            ? members.First(m => m.Member == leader).Endpoint
            : null;

    private static List<(string Endpoint, ulong Cluster, ulong Member, ulong Leader)>? Parse(string output)
    {
        try
        {
            var json = output[output.IndexOf('[', StringComparison.Ordinal)..];
            using var document = JsonDocument.Parse(json[..(json.LastIndexOf(']') + 1)]);
            return [.. document.RootElement.EnumerateArray().Select(e =>
            {
                var status = e.GetProperty("Status");
                var header = status.GetProperty("header");
                return (e.GetProperty("Endpoint").GetString() ?? "", header.GetProperty("cluster_id").GetUInt64(), header.GetProperty("member_id").GetUInt64(),
                    status.GetProperty("leader").GetUInt64());
            })];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentOutOfRangeException or FormatException)
        {
            return null;
        }
    }
}

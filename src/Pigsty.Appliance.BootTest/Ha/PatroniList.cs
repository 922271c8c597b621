using System.Text.Json;
using Pigsty.Appliance.BootTest.Harness;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>Reads and judges <c>patronictl list -f json</c>: one leader running, every other member a replica streaming with lag 0.</summary>
public static class PatroniList
{
    /// <summary>The guest command (as postgres, with the installer's patroni.yml).</summary>
    public const string Command = "sudo -u postgres patronictl -c " + Installer.Modules.Pgsql.Settings.PgsqlSettings.PatroniConfigPath + " list -f json";

    /// <summary>The members, or null when <paramref name="json"/> is not patronictl's JSON list.</summary>
    public static IReadOnlyList<PatroniMember>? Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<List<PatroniMember>>(json.Trim());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Why <paramref name="members"/> is not one running leader and <paramref name="replicas"/> streaming replicas with lag 0; null when it is.</summary>
    /// <remarks>Patroni 3.0 says <c>running</c> for a replica and later versions <c>streaming</c>; either is accepted here, and the leader's
    /// pg_stat_replication is what proves streaming.</remarks>
    public static string? Problem(IReadOnlyList<PatroniMember> members, int replicas)
    {
        ArgumentNullException.ThrowIfNull(members);
        var leaders = members.Where(m => m.IsLeader).ToList();
        if (leaders.Count != 1 || leaders[0].State != "running")
        {
            return $"{leaders.Count} leader(s) running, expected 1";
        }

        var others = members.Where(m => !m.IsLeader).ToList();
        if (others.Count != replicas)
        {
            return $"{others.Count} replica(s), expected {replicas}";
        }

        var bad = others.Where(m => m.Role is not ("Replica" or "Sync Standby") || m.State is not ("running" or "streaming") || m.LagMegabytes != 0).ToList();
        return bad.Count == 0 ? null : string.Join("; ", bad.Select(m => $"{m.Member} is {m.Role} {m.State} with lag {m.Lag?.ToString() ?? "none"}"));
    }

    /// <summary>The members in one line for the report.</summary>
    public static string Describe(IReadOnlyList<PatroniMember> members) =>
        string.Join(", ", (members ?? []).Select(m => $"{m.Member} {m.Host} {m.Role} {m.State} TL {m.Timeline} lag {(m.IsLeader ? "-" : m.Lag?.ToString() ?? "?")}"));

    /// <summary>The check of <paramref name="json"/> (the command's output) for <paramref name="members"/> members in all.</summary>
    public static CheckResult Judge(string name, bool succeeded, string json, int members)
    {
        if (!succeeded || Parse(json) is not { } parsed)
        {
            return new CheckResult(name, false, $"patronictl list failed or printed no JSON: {CheckRetry.Squash(json, 300)}");
        }

        var problem = parsed.Count == members ? Problem(parsed, members - 1) : $"{parsed.Count} member(s), expected {members}";
        return new CheckResult(name, problem is null, problem is null ? Describe(parsed) : $"{problem}: {Describe(parsed)}");
    }
}

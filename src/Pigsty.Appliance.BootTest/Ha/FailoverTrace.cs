using System.Globalization;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// Where a failover's time went, read from the new leader's journal: when its Patroni took the leader lock and promoted, when its
/// VIP callback added the address, when its HAProxy saw it as the primary, and when the first client logged in to its pgbouncer.
/// Guest clocks follow the infra node's chrony, close to the host's but not the same, so these are seconds after the kill ± that offset.
/// </summary>
public sealed record FailoverTrace(DateTime? Promoted, DateTime? VipAdded, DateTime? PrimaryUp, DateTime? FirstLogin)
{
    /// <summary>The journal lines the trace needs, from <paramref name="since"/> on (run on the new leader as the admin user).</summary>
    public static string Command(DateTime since) =>
        string.Create(CultureInfo.InvariantCulture,
            $"sudo journalctl --since=@{new DateTimeOffset(since).ToUnixTimeSeconds()} -o short-iso-precise --no-pager -u patroni -u haproxy -u pgbouncer");

    /// <summary>The milestones of <paramref name="member"/> becoming the primary in <paramref name="journal"/> (short-iso-precise lines).</summary>
    public static FailoverTrace Parse(string journal, string member)
    {
        ArgumentNullException.ThrowIfNull(journal);
        DateTime? promoted = null, vip = null, up = null, login = null;
        foreach (var line in journal.Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamp))
            {
                continue;
            }

            var at = stamp.UtcDateTime;
            if (promoted is null && line.Contains("promoted self to leader", StringComparison.Ordinal))
            {
                promoted = at;
            }
            else if (vip is null && line.Contains("pg-vip: on_role_change as", StringComparison.Ordinal) && line.Contains(" added on ", StringComparison.Ordinal))
            {
                vip = at;
            }
            else if (up is null && promoted is not null && line.Contains($"-primary/{member} is UP", StringComparison.Ordinal))
            {
                up = at;
            }
            else if (login is null && promoted is not null && line.Contains("login attempt: db=", StringComparison.Ordinal) && !line.Contains("@unix(", StringComparison.Ordinal))
            {
                login = at;
            }
        }

        return new FailoverTrace(promoted, vip, up, login);
    }

    /// <summary>Each milestone found, in seconds after <paramref name="killedAt"/>.</summary>
    public IReadOnlyList<(string Name, double Seconds)> After(DateTime killedAt)
    {
        var found = new List<(string, double)>();
        foreach (var (name, at) in new[] { ("promoted", Promoted), ("vip", VipAdded), ("primary_up", PrimaryUp), ("first_login", FirstLogin) })
        {
            if (at is { } time)
            {
                found.Add((name, Math.Round((time - killedAt).TotalSeconds, 1)));
            }
        }

        return found;
    }

    /// <summary>One phrase for the report.</summary>
    public string Describe(DateTime killedAt)
    {
        var found = After(killedAt);
        return found.Count == 0
            ? "no promotion in the new leader's journal"
            : "after the kill: " + string.Join(", ", found.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name.Replace('_', ' ')} {f.Seconds:0.0} s")));
    }
}

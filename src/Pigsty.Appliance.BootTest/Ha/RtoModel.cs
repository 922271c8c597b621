using System.Globalization;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// Pigsty's published model of a failover after a node dies (the passive path: the dead primary cannot release its leader lease,
/// so a replica waits for it to expire, takes the lock, promotes, and HAProxy sees it rise), for one pg_rto plan. Best, average and
/// worst RTO in seconds, from ttl, loop_wait and HAProxy's inter, fastinter and rise; the report puts it beside the measured RTO.
/// </summary>
/// <remarks>
/// Best: ttl - loop + 0.1 (promote) + (rise - 1) × fastinter. Average: ttl + 1 + inter / 2 + (rise - 1) × fastinter.
/// Worst: ttl + loop + 2 + inter + (rise - 1) × fastinter. The model leaves out etcd: when the dead node also led etcd, the new
/// etcd leader renews every lease for its full ttl plus one election timeout, which adds to all three.
/// </remarks>
public sealed record RtoModel(string Plan, double Best, double Average, double Worst)
{
    /// <summary>The model for <paramref name="plan"/>.</summary>
    public static RtoModel Of(PgRto plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var inter = Seconds(plan.Inter);
        var health = (plan.Rise - 1) * Seconds(plan.FastInter);
        return new RtoModel(plan.Mode,
            Math.Round(plan.Ttl - plan.LoopWait + 0.1 + health, 1),
            Math.Round(plan.Ttl + 1 + inter / 2 + health, 1),
            Math.Round(plan.Ttl + plan.LoopWait + 2 + inter + health, 1));
    }

    /// <summary>One phrase for the report.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"Pigsty's node-down model for pg_rto {Plan}: {Best:0.0} s best, {Average:0.0} s average, {Worst:0.0} s worst");

    /// <summary>An HAProxy time ("2s", "500ms", "1.5s"; no unit means milliseconds) in seconds.</summary>
    public static double Seconds(string time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var (number, scale) = time switch
        {
            _ when time.EndsWith("ms", StringComparison.Ordinal) => (time[..^2], 0.001),
            _ when time.EndsWith("us", StringComparison.Ordinal) => (time[..^2], 0.000001),
            _ when time.EndsWith('s') => (time[..^1], 1.0),
            _ when time.EndsWith('m') => (time[..^1], 60.0),
            _ => (time, 0.001),
        };
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value * scale
            : throw new FormatException($"'{time}' is not an HAProxy time (a number with us, ms, s or m)");
    }
}

using System.Globalization;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>
/// <c>pg_rto</c>: Pigsty v4's plans (<c>pg_rto_plan</c>, by default fast, norm, safe, wide) give Patroni's ttl, loop_wait,
/// retry_timeout, primary_start_timeout and watchdog safety_margin and HAProxy's inter, fastinter, downinter, rise and fall; a number
/// of seconds (v3's form) gives ttl with the other Patroni timeouts a third of it, Patroni's default safety margin and v3's checks.
/// </summary>
public sealed record PgRto(string Mode, int Ttl, int LoopWait, int RetryTimeout, int PrimaryStartTimeout, int SafetyMargin,
    string Inter, string FastInter, string DownInter, int Rise, int Fall)
{
    /// <summary>Pigsty v4's presets, by name.</summary>
    public static IReadOnlyDictionary<string, PgRto> Presets { get; } = new Dictionary<string, PgRto>(StringComparer.Ordinal)
    {
        ["fast"] = new("fast", 20, 5, 5, 15, 5, "1s", "0.5s", "1s", 3, 3),
        ["norm"] = new("norm", 30, 5, 10, 25, 5, "2s", "1s", "2s", 3, 3),
        ["safe"] = new("safe", 60, 10, 20, 45, 10, "3s", "1.5s", "3s", 3, 3),
        ["wide"] = new("wide", 120, 20, 30, 95, 15, "4s", "2s", "4s", 3, 3),
    };

    /// <summary>Reads <c>pg_rto</c> (default <c>norm</c>) from <paramref name="plan"/> (<c>pg_rto_plan</c>; Pigsty's presets when null).</summary>
    public static PgRto Parse(YamlValue? value, YamlValue? plan = null)
    {
        var plans = plan is null ? Presets : ParsePlan(plan);
        if (value is null)
        {
            return plans.TryGetValue("norm", out var norm) ? norm : throw plan!.Error("pg_rto_plan has no 'norm' entry, which pg_rto uses by default");
        }

        var text = value.AsString();
        if (plans.TryGetValue(text, out var preset))
        {
            return preset;
        }

        if (value is YamlScalar { IsPlain: true } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < 10)
            {
                throw value.Error($"pg_rto {seconds} is too short: Patroni needs a ttl of at least 10 seconds");
            }

            var third = (int)Math.Ceiling(seconds / 3.0);
            return new PgRto(text, seconds, third, third, third, 5, "3s", "1s", "5s", 3, 3);
        }

        throw value.Error($"unknown pg_rto '{text}' (expected {string.Join(", ", plans.Keys)}, or seconds)");
    }

    /// <summary>
    /// <c>pg_rto_plan</c>: name → [ttl, loop_wait, retry_timeout, primary_start_timeout, safety_margin, inter, fastinter, downinter,
    /// rise, fall]; Patroni refuses a ttl under 20 and wants loop_wait + 2 × retry_timeout ≤ ttl.
    /// </summary>
    private static Dictionary<string, PgRto> ParsePlan(YamlValue plan)
    {
        var map = plan as YamlMapping ?? throw plan.Error("pg_rto_plan must map plan names to [ttl, loop, retry, start, margin, inter, fastinter, downinter, rise, fall]");
        var result = new Dictionary<string, PgRto>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            var items = entry.Value.AsSequence().Items;
            if (items.Count != 10)
            {
                throw entry.Value.Error($"pg_rto_plan.{entry.Key} has {items.Count} items, expected 10: [ttl, loop, retry, start, margin, inter, fastinter, downinter, rise, fall]");
            }

            var rto = new PgRto(entry.Key, items[0].AsInt(), items[1].AsInt(), items[2].AsInt(), items[3].AsInt(), items[4].AsInt(),
                items[5].AsString(), items[6].AsString(), items[7].AsString(), items[8].AsInt(), items[9].AsInt());
            if (rto.Ttl < 20 || rto.LoopWait < 1 || rto.RetryTimeout < 3 || rto.LoopWait + 2 * rto.RetryTimeout > rto.Ttl)
            {
                throw entry.Value.Error($"pg_rto_plan.{entry.Key}: Patroni needs ttl >= 20, loop >= 1, retry >= 3 and loop + 2 x retry <= ttl");
            }

            result[entry.Key] = rto;
        }

        return result;
    }

    /// <summary>HAProxy's default-server line for the cluster's services.</summary>
    public string HaproxyDefaultServer =>
        $"inter {Inter} fastinter {FastInter} downinter {DownInter} rise {Rise} fall {Fall} on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100";
}

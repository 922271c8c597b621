using System.Globalization;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>
/// <c>pg_rto</c>: Pigsty v4's presets (fast, norm, safe, wide) give Patroni's ttl, loop_wait, retry_timeout, primary_start_timeout
/// and safety_margin and HAProxy's inter, fastinter, downinter, rise and fall; a number of seconds (v3's form) gives ttl with the
/// other Patroni timeouts a third of it and v3's HAProxy checks.
/// </summary>
public sealed record PgRto(string Mode, int Ttl, int LoopWait, int RetryTimeout, int PrimaryStartTimeout, int? SafetyMargin,
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

    /// <summary>Reads <c>pg_rto</c> (default <c>norm</c>).</summary>
    public static PgRto Parse(YamlValue? value)
    {
        if (value is null)
        {
            return Presets["norm"];
        }

        var text = value.AsString();
        if (Presets.TryGetValue(text, out var preset))
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
            return new PgRto(text, seconds, third, third, third, null, "3s", "1s", "5s", 3, 3);
        }

        throw value.Error($"unknown pg_rto '{text}' (expected fast, norm, safe or wide, or seconds)");
    }

    /// <summary>HAProxy's default-server line for the cluster's services.</summary>
    public string HaproxyDefaultServer =>
        $"inter {Inter} fastinter {FastInter} downinter {DownInter} rise {Rise} fall {Fall} on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100";
}

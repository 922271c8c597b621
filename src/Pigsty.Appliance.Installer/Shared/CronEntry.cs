using System.Globalization;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// One crontab line (<c>node_crontab</c> in /etc/crontab form with a user, <c>pg_crontab</c> without) as a systemd timer: the bundle
/// carries no cron daemon, and a timer logs to the journal. Cron's schedule becomes OnCalendar lines; when both day of month and day
/// of week are restricted, cron runs on either, so the timer gets one line for each.
/// </summary>
public sealed record CronEntry(string Line, string User, string Command, IReadOnlyList<string> Calendars)
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Reads a line; <paramref name="user"/> is the user for lines without one (pg_crontab), null when the line names it (node_crontab).</summary>
    public static CronEntry Parse(YamlValue value, string? user)
    {
        ArgumentNullException.ThrowIfNull(value);
        var line = value.AsString().Trim();
        try
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var (schedule, rest) = line.StartsWith('@') ? (Special(fields[0]), fields[1..]) : (Standard(fields), fields[Math.Min(5, fields.Length)..]);
            var owner = user ?? (rest.Length > 0 ? rest[0] : throw new FormatException("no user (an /etc/crontab line names the user after the schedule)"));
            var command = string.Join(' ', user is null ? rest.Skip(1) : rest);
            return command.Length == 0 ? throw new FormatException("no command") : new CronEntry(line, owner, command, schedule);
        }
        catch (FormatException e)
        {
            throw value.Error($"'{line}' is not a crontab line this appliance can run: {e.Message}");
        }
    }

    /// <summary>The service and timer units for this entry, named <c>&lt;prefix&gt;-&lt;index&gt;</c>.</summary>
    public (SystemdUnit Service, SystemdUnit Timer) Units(string prefix, int index)
    {
        var name = $"{prefix}-{index.ToString(CultureInfo.InvariantCulture)}";
        var service = new SystemdUnit($"{name}.service", $"crontab entry: {Line}", [("Type", "oneshot"), ("User", User), ("ExecStart", ExecLine.Of("/bin/sh", "-c", Command))])
        {
            WantedBy = null,
        };
        var timer = new SystemdUnit($"{name}.timer", $"crontab schedule: {Line}", [.. Calendars.Select(c => ("OnCalendar", c)), ("Unit", $"{name}.service")])
        {
            WantedBy = "timers.target",
        };
        return (service, timer);
    }

    private static IReadOnlyList<string> Special(string word) => word switch
    {
        "@yearly" or "@annually" => ["*-01-01 00:00:00"],
        "@monthly" => ["*-*-01 00:00:00"],
        "@weekly" => ["Sun *-*-* 00:00:00"],
        "@daily" or "@midnight" => ["*-*-* 00:00:00"],
        "@hourly" => ["*-*-* *:00:00"],
        _ => throw new FormatException($"'{word}' is not a schedule (@reboot has no timer equivalent)"),
    };

    private static IReadOnlyList<string> Standard(string[] fields)
    {
        if (fields.Length < 6)
        {
            throw new FormatException("expected minute, hour, day of month, month, day of week and a command");
        }

        var minute = Field(fields[0], 0, 59, null);
        var hour = Field(fields[1], 0, 23, null);
        var dom = Field(fields[2], 1, 31, null);
        var month = Field(fields[3], 1, 12, Months);
        var dow = Field(fields[4], 0, 7, Days.Select(d => d.ToLowerInvariant()).ToArray());
        string Calendar(string? weekdays, string day) =>
            $"{(weekdays is null ? "" : weekdays + " ")}*-{month ?? "*"}-{day} {hour ?? "*"}:{minute ?? "*"}:00";
        var weekdays = dow is null ? null : string.Join(',', dow.Split(',').Select(d => Days[int.Parse(d, CultureInfo.InvariantCulture) % 7]).Distinct());
        return (dom, weekdays) switch
        {
            (not null, not null) => [Calendar(null, dom), Calendar(weekdays, "*")],
            _ => [Calendar(weekdays, dom ?? "*")],
        };
    }

    /// <summary>A cron field as a systemd list of values, or null for every value.</summary>
    private static string? Field(string text, int min, int max, string[]? names)
    {
        var values = new SortedSet<int>();
        foreach (var part in text.ToLowerInvariant().Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw new FormatException($"'{part}' is not a cron field"),
            };
            var (from, to) = range == "*" ? (min, max)
                : range.Split('-') is [var a, var b] ? (Value(a, min, max, names), Value(b, min, max, names))
                : (Value(range, min, max, names), step > 1 ? max : Value(range, min, max, names));
            if (from > to)
            {
                throw new FormatException($"'{part}' counts down");
            }

            for (var v = from; v <= to; v += step)
            {
                values.Add(v);
            }
        }

        var every = Enumerable.Range(min, max - min + 1).All(values.Contains) || (max == 7 && Enumerable.Range(0, 7).All(values.Contains));
        return every ? null : string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }

    private static int Value(string text, int min, int max, string[]? names)
    {
        var index = names is null ? -1 : Array.IndexOf(names, text.Length >= 3 ? text[..3] : text);
        var value = index >= 0 ? index + (min == 1 ? 1 : 0)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new FormatException($"'{text}' is not a number");
        return value >= min && value <= max ? value : throw new FormatException($"{value} is out of range {min}-{max}");
    }
}

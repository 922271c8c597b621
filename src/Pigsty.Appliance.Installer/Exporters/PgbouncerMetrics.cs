using System.Globalization;
using System.Text;

namespace Pigsty.Appliance.Installer.Exporters;

/// <summary>Turns pgbouncer's admin-console answers (SHOW STATS, POOLS, LISTS) into Prometheus text: every numeric column a gauge.</summary>
/// <remarks>Column names come from pgbouncer itself, so a rename between versions changes a metric name instead of breaking the exporter.</remarks>
public static class PgbouncerMetrics
{
    /// <summary>Label columns (the rest, when numeric, become values).</summary>
    private static readonly string[] LabelColumns = ["database", "user", "list", "pool_mode"];

    /// <summary>The Prometheus exposition for the given SHOW results (column names first), plus pgbouncer_up.</summary>
    public static string Render(IReadOnlyList<PgbouncerConsole.Result> results, bool up)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.Append("# HELP pgbouncer_up 1 when the admin console answered\n# TYPE pgbouncer_up gauge\n");
        text.Append("pgbouncer_up ").Append(up ? '1' : '0').Append('\n');
        foreach (var (show, rows) in results)
        {
            var command = show.Replace("SHOW ", "", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();
            if (rows.Count < 2)
            {
                continue;
            }

            var header = rows[0];
            var series = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var row in rows.Skip(1).Where(r => r.Count == header.Count))
            {
                var labels = string.Join(',', header.Select((h, i) => (h, i)).Where(c => LabelColumns.Contains(c.h))
                    .Select(c => $"{c.h}=\"{Escape(row[c.i])}\""));
                for (var i = 0; i < header.Count; i++)
                {
                    if (!LabelColumns.Contains(header[i]) && double.TryParse(row[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        var name = $"pgbouncer_{command}_{Sanitize(header[i])}";
                        (series.TryGetValue(name, out var lines) ? lines : series[name] = []).Add(labels.Length == 0 ? $"{name} {row[i]}" : $"{name}{{{labels}}} {row[i]}");
                    }
                }
            }

            foreach (var (name, lines) in series)
            {
                text.Append("# TYPE ").Append(name).Append(" gauge\n");
                foreach (var line in lines)
                {
                    text.Append(line).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string Sanitize(string column) =>
        new(column.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

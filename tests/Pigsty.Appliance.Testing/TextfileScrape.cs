using System.Globalization;

namespace Pigsty.Appliance.Testing;

/// <summary>What node_exporter's textfile collector made of a directory: its /metrics text and its log.</summary>
public sealed record TextfileScrape(string Metrics, string Log)
{
    /// <summary>True when every file parsed (node_exporter reports <c>node_textfile_scrape_error 0</c>).</summary>
    public bool Parsed => Metrics.Contains("\nnode_textfile_scrape_error 0\n", StringComparison.Ordinal);

    /// <summary>The value of the sample written exactly as <paramref name="series"/> (name and labels), or null when there is none.</summary>
    public double? Value(string series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var line = Metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>A VictoriaMetrics scrape job a module feeds with file_sd target lists in <c>/etc/pigsty/targets/&lt;Name&gt;/</c>.</summary>
/// <param name="Name">The job name, which is also the target directory's name and the <c>job</c> label of its series.</param>
/// <param name="MetricsPath">Where the targets serve metrics (a target list may override it with <c>__metrics_path__</c>).</param>
/// <param name="Targets">What the targets are, for the comment above the job in prometheus.yml.</param>
public sealed record ScrapeJob(string Name, string MetricsPath, string Targets)
{
    /// <summary>Targets may speak https with a certificate from the site CA (they pick the scheme with a <c>__scheme__</c> label).</summary>
    public bool SiteCa { get; init; }

    /// <summary>The blackbox_exporter module that probes the targets (e.g. <c>icmp</c>), or null when the targets serve metrics themselves.</summary>
    public string? Probe { get; init; }
}

using System.Text;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>VictoriaMetrics' scrape configuration (Prometheus format): one job per target directory that modules fill.</summary>
public static class ScrapeConfig
{
    public const string Path = "/etc/pigsty/prometheus.yml";

    /// <summary>The jobs, their metrics path and who writes their target lists.</summary>
    public static IReadOnlyList<(string Job, string MetricsPath, string WrittenBy)> Jobs { get; } =
    [
        ("node", "/metrics", "NODE: node_exporter and HAProxy of every node"),
        ("infra", "/metrics", "INFRA: VictoriaMetrics, vmalert, Alertmanager, blackbox_exporter (and Grafana, VictoriaLogs)"),
        ("etcd", "/metrics", "ETCD: etcd members (plain http metrics port)"),
        ("pgsql", "/metrics", "PGSQL: PostgreSQL exporters"),
        ("pgbouncer", "/metrics", "PGSQL: pgbouncer exporters"),
        ("patroni", "/metrics", "PGSQL: Patroni REST API"),
        ("minio", "/minio/v2/metrics/cluster", "MINIO: MinIO servers"),
    ];

    /// <summary>Jobs whose targets may speak https with a certificate from the site CA (targets pick the scheme with a __scheme__ label).</summary>
    /// <remarks>VictoriaMetrics reads the CA file when it loads the configuration: INFRA creates the CA before VictoriaMetrics starts.</remarks>
    public static IReadOnlySet<string> SiteCaJobs { get; } = new HashSet<string>(StringComparer.Ordinal) { "minio" };

    /// <summary>Job that pings every node through blackbox_exporter; its target lists name bare addresses.</summary>
    public const string PingJob = "ping";

    /// <summary>Every directory VictoriaMetrics reads target lists from.</summary>
    public static IEnumerable<string> TargetDirectories => Jobs.Select(j => j.Job).Append(PingJob).Select(j => $"{NodePaths.ScrapeTargets}/{j}");

    /// <summary>The configuration; <paramref name="targetsDirectory"/> is where the job directories are, <paramref name="caFile"/> the site CA.</summary>
    public static string Render(InfraSettings settings, string targetsDirectory = NodePaths.ScrapeTargets, string caFile = CertificateSteps.CaCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA): what VictoriaMetrics scrapes.\n")
            .Append("# Every job reads file_sd target lists from ").Append(targetsDirectory).Append("/<job>/*.yml, which the modules write;\n")
            .Append("# new and changed lists are picked up within seconds. A list may set __metrics_path__ or __scheme__ as labels.\n")
            .Append("global:\n")
            .Append("  scrape_interval: ").Append(settings.ScrapeInterval).Append('\n')
            .Append("  scrape_timeout: ").Append(settings.ScrapeTimeout).Append("\n\n")
            .Append("scrape_configs:\n");
        foreach (var (job, metricsPath, writtenBy) in Jobs)
        {
            text.Append("  # ").Append(writtenBy).Append('\n')
                .Append("  - job_name: ").Append(job).Append('\n')
                .Append("    metrics_path: ").Append(metricsPath).Append('\n');
            if (SiteCaJobs.Contains(job))
            {
                text.Append("    tls_config:\n")
                    .Append("      ca_file: ").Append(caFile).Append('\n');
            }

            text.Append("    file_sd_configs:\n")
                .Append("      - files: ['").Append(targetsDirectory).Append('/').Append(job).Append("/*.yml']\n\n");
        }

        return text.Append("  # INFRA: ICMP echo to every node through blackbox_exporter (probe_success is the signal)\n")
            .Append("  - job_name: ").Append(PingJob).Append('\n')
            .Append("    metrics_path: /probe\n")
            .Append("    params:\n")
            .Append("      module: [icmp]\n")
            .Append("    file_sd_configs:\n")
            .Append("      - files: ['").Append(targetsDirectory).Append('/').Append(PingJob).Append("/*.yml']\n")
            .Append("    relabel_configs:\n")
            .Append("      - source_labels: [__address__]\n")
            .Append("        target_label: __param_target\n")
            .Append("      - source_labels: [__param_target]\n")
            .Append("        target_label: instance\n")
            .Append("      - target_label: __address__\n")
            .Append("        replacement: 127.0.0.1:").Append(settings.BlackboxPort).Append('\n')
            .ToString();
    }
}

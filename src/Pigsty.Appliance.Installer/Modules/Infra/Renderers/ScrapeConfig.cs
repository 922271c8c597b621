using System.Text;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>VictoriaMetrics' scrape configuration (Prometheus format): one job per target directory, for every job the registered modules declare.</summary>
public static class ScrapeConfig
{
    public const string Path = "/etc/pigsty/prometheus.yml";

    /// <summary>Every directory VictoriaMetrics reads target lists from: one per job of <paramref name="modules"/>.</summary>
    public static IEnumerable<string> TargetDirectories(IEnumerable<ModuleDescriptor> modules) =>
        modules.SelectMany(m => m.ScrapeJobs).Select(j => $"{NodePaths.ScrapeTargets}/{j.Name}");

    /// <summary>
    /// The configuration: the jobs of <paramref name="modules"/> in their order, probing jobs last (none without blackbox_exporter); <paramref name="targetsDirectory"/>
    /// is where the job directories are, <paramref name="caFile"/> the site CA.
    /// </summary>
    /// <remarks>VictoriaMetrics reads the CA file when it loads the configuration: INFRA creates the CA before VictoriaMetrics starts.</remarks>
    public static string Render(InfraSettings settings, IEnumerable<ModuleDescriptor> modules, string targetsDirectory = NodePaths.ScrapeTargets,
        string caFile = CertificateSteps.CaCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(modules);
        var text = new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA): what VictoriaMetrics scrapes.\n")
            .Append("# Every job reads file_sd target lists from ").Append(targetsDirectory).Append("/<job>/*.yml, which the modules write;\n")
            .Append("# new and changed lists are picked up within seconds. A list may set __metrics_path__ or __scheme__ as labels.\n")
            .Append("global:\n")
            .Append("  scrape_interval: ").Append(settings.ScrapeInterval).Append('\n')
            .Append("  scrape_timeout: ").Append(settings.ScrapeTimeout).Append("\n\n")
            .Append("scrape_configs:\n");
        // Probing jobs go through blackbox_exporter: without it (blackbox_enabled: false) they would only ever fail.
        var jobs = modules.SelectMany(m => m.ScrapeJobs.Select(j => (Module: m.Name, Job: j)))
            .Where(j => j.Job.Probe is null || settings.BlackboxEnabled).OrderBy(j => j.Job.Probe is not null).ToList();
        for (var i = 0; i < jobs.Count; i++)
        {
            text.Append(i == 0 ? "" : "\n");
            Job(text, jobs[i].Module, jobs[i].Job, settings, targetsDirectory, caFile);
        }

        return text.ToString();
    }

    private static void Job(StringBuilder text, string module, ScrapeJob job, InfraSettings settings, string targetsDirectory, string caFile)
    {
        text.Append("  # ").Append(module).Append(": ").Append(job.Targets).Append('\n')
            .Append("  - job_name: ").Append(job.Name).Append('\n')
            .Append("    metrics_path: ").Append(job.MetricsPath).Append('\n');
        if (job.Probe is not null)
        {
            text.Append("    params:\n")
                .Append("      module: [").Append(job.Probe).Append("]\n");
        }

        if (job.SiteCa)
        {
            text.Append("    tls_config:\n")
                .Append("      ca_file: ").Append(caFile).Append('\n');
        }

        text.Append("    file_sd_configs:\n")
            .Append("      - files: ['").Append(targetsDirectory).Append('/').Append(job.Name).Append("/*.yml']\n");
        if (job.Probe is not null)
        {
            // blackbox_exporter takes the target as a parameter; the series keep the probed address as their instance.
            text.Append("    relabel_configs:\n")
                .Append("      - source_labels: [__address__]\n")
                .Append("        target_label: __param_target\n")
                .Append("      - source_labels: [__param_target]\n")
                .Append("        target_label: instance\n")
                .Append("      - target_label: __address__\n")
                .Append("        replacement: 127.0.0.1:").Append(settings.BlackboxPort).Append('\n');
        }
    }
}

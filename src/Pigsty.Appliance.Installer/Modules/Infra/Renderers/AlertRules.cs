using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>INFRA's starter alert rules for vmalert: the monitoring stack, exporters, reachability, and node health.</summary>
public static class AlertRules
{
    public const string InfraPath = NodePaths.AlertRules + "/infra.yml";

    public const string NodePath = NodePaths.AlertRules + "/node.yml";

    /// <summary>Rules about the monitoring stack itself, scrape targets and node reachability.</summary>
    public static string RenderInfra() =>
        """
        # written by pigsty-appliance (INFRA): the monitoring stack, scrape targets and reachability.
        # vmalert loads every *.yml in this directory (ETCD and PGSQL add theirs) and re-reads them every 30 s.
        groups:
          - name: infra
            rules:
              - alert: InfraComponentDown
                expr: up{job="infra"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: "{{ $labels.type }} on {{ $labels.ins }} is down"
                  description: "VictoriaMetrics has not scraped {{ $labels.instance }} for a minute: check the unit's journal on {{ $labels.ip }}."

              - alert: ExporterDown
                expr: up{job!~"infra|ping"} == 0
                for: 2m
                labels:
                  severity: WARN
                annotations:
                  summary: "{{ $labels.job }} exporter {{ $labels.instance }} ({{ $labels.ins }}) is down"
                  description: "Metrics of {{ $labels.instance }} are missing for 2 minutes; alerts that need them cannot fire."

              - alert: NodeUnreachable
                expr: probe_success{job="ping"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: "node {{ $labels.instance }} ({{ $labels.ins }}) does not answer ping"
                  description: "blackbox_exporter on the infra node gets no ICMP echo reply from {{ $labels.instance }}."

              - alert: AlertRulesBroken
                expr: vmalert_config_last_reload_errors_total > 0
                labels:
                  severity: WARN
                annotations:
                  summary: "vmalert could not reload its rule files"
                  description: "A file in /etc/pigsty/rules/ does not parse; vmalert keeps evaluating the rules it had. See vmalert's journal."

              - alert: AlertRuleFailing
                expr: vmalert_alerting_rules_error > 0
                for: 5m
                labels:
                  severity: WARN
                annotations:
                  summary: "alert rule {{ $labels.alertname }} ({{ $labels.group }}) fails to evaluate"
                  description: "The rule's query fails on VictoriaMetrics; the alert cannot fire until it is fixed."

              - alert: AlertsNotDelivered
                expr: increase(vmalert_alerts_send_errors_total[5m]) > 0
                labels:
                  severity: CRIT
                annotations:
                  summary: "vmalert cannot deliver alerts to Alertmanager"
                  description: "Firing alerts are not reaching Alertmanager ({{ $labels.addr }})."

        """;

    /// <summary>Rules about node resources (node_exporter metrics).</summary>
    public static string RenderNode() =>
        """
        # written by pigsty-appliance (INFRA): node resources, from node_exporter (job node).
        groups:
          - name: node
            rules:
              - alert: NodeFilesystemAlmostFull
                expr: node_filesystem_avail_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} / node_filesystem_size_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} < 0.10 and node_filesystem_readonly{job="node"} == 0
                for: 5m
                labels:
                  severity: WARN
                annotations:
                  summary: "{{ $labels.mountpoint }} on {{ $labels.ins }} has less than 10% space left"
                  description: "{{ $value | humanizePercentage }} of {{ $labels.mountpoint }} ({{ $labels.device }}) is free."

              - alert: NodeFilesystemFull
                expr: node_filesystem_avail_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} / node_filesystem_size_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} < 0.03 and node_filesystem_readonly{job="node"} == 0
                for: 1m
                labels:
                  severity: CRIT
                annotations:
                  summary: "{{ $labels.mountpoint }} on {{ $labels.ins }} is almost full"
                  description: "Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} is free: PostgreSQL stops when WAL cannot be written."

              - alert: NodeFilesystemFillingUp
                expr: predict_linear(node_filesystem_avail_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"}[6h], 86400) < 0 and node_filesystem_avail_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} / node_filesystem_size_bytes{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} < 0.40
                for: 30m
                labels:
                  severity: WARN
                annotations:
                  summary: "{{ $labels.mountpoint }} on {{ $labels.ins }} fills up within a day"
                  description: "At the rate of the last 6 hours, {{ $labels.mountpoint }} runs out of space within 24 hours."

              - alert: NodeInodesLow
                expr: node_filesystem_files_free{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} / node_filesystem_files{job="node",fstype!~"tmpfs|ramfs|squashfs|overlay"} < 0.05
                for: 5m
                labels:
                  severity: WARN
                annotations:
                  summary: "{{ $labels.mountpoint }} on {{ $labels.ins }} is running out of inodes"
                  description: "{{ $value | humanizePercentage }} of the inodes of {{ $labels.mountpoint }} are free."

              - alert: NodeMemoryLow
                expr: node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"} < 0.05
                for: 5m
                labels:
                  severity: WARN
                annotations:
                  summary: "{{ $labels.ins }} has less than 5% memory available"
                  description: "{{ $value | humanizePercentage }} of memory is available; the OOM killer is near."

              - alert: NodeOomKill
                expr: increase(node_vmstat_oom_kill{job="node"}[5m]) > 0
                labels:
                  severity: WARN
                annotations:
                  summary: "the kernel killed a process on {{ $labels.ins }} for lack of memory"
                  description: "See the kernel log (journalctl -k) on {{ $labels.ip }}."

              - alert: NodeCpuBusy
                expr: 1 - avg by (ins, ip, instance) (rate(node_cpu_seconds_total{job="node",mode="idle"}[5m])) > 0.90
                for: 15m
                labels:
                  severity: WARN
                annotations:
                  summary: "CPU of {{ $labels.ins }} is more than 90% busy"
                  description: "The CPU has been {{ $value | humanizePercentage }} busy for 15 minutes."

              - alert: NodeClockSkew
                expr: abs(node_timex_offset_seconds{job="node"}) > 0.05
                for: 5m
                labels:
                  severity: WARN
                annotations:
                  summary: "clock of {{ $labels.ins }} is off by more than 50 ms"
                  description: "etcd and Patroni depend on agreeing clocks; check chronyc sources on {{ $labels.ip }}."

        """;
}

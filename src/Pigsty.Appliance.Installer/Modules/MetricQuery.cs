namespace Pigsty.Appliance.Installer.Modules;

/// <summary>
/// A ready-made PromQL query over a module's own series, shown (with its live value) on the portal's home page: Debian has no
/// Grafana and its VictoriaMetrics build serves no vmui, so these stand in for the first panels of Pigsty's dashboards.
/// </summary>
/// <param name="Name">What a person looks for, e.g. <c>Connections</c>.</param>
/// <param name="Expression">The PromQL expression VictoriaMetrics evaluates.</param>
/// <param name="Unit">How to read each value, e.g. <c>1 = up</c> or <c>seconds</c>.</param>
public sealed record MetricQuery(string Name, string Expression, string Unit);

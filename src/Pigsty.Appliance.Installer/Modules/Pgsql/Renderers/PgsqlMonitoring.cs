using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>What VictoriaMetrics (INFRA) reads about PostgreSQL clusters: file_sd targets (the alert rules are Rules/pgsql.yml).</summary>
public static class PgsqlMonitoring
{
    /// <summary>pgsql (exporter 9630), pgbouncer (9631) and patroni (REST 8008 /metrics) targets for every instance of a cluster.</summary>
    public static IReadOnlyList<ScrapeTarget> ScrapeTargets(PgCluster cluster, VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(vars);
        var jobs = new[]
        {
            ("pgsql", vars.Int("pg_exporter_port", 9630)),
            ("pgbouncer", vars.Int("pgbouncer_exporter_port", 9631)),
            ("patroni", vars.Int("patroni_port", 8008)),
        };
        return jobs.SelectMany(job => cluster.Instances.Select(i => new ScrapeTarget(job.Item1, i.Name, [new IPEndPoint(i.Address, job.Item2).ToString()],
            ScrapeTarget.Identity(cluster.Name, i.Name, i.Address.ToString())))).ToList();
    }
}

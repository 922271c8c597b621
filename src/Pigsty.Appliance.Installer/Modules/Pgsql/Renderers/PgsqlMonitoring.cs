using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>What VictoriaMetrics (INFRA) reads about PostgreSQL clusters: file_sd targets (the alert rules are Rules/pgsql.yml).</summary>
public static class PgsqlMonitoring
{
    /// <summary>
    /// pgsql (exporter 9630), pgbouncer (9631) and patroni (REST 8008 /metrics) targets for every instance of a cluster; an exporter
    /// switched off (<c>pg_exporter_enabled</c>, <c>pgbouncer_exporter_enabled</c>, <c>pgbouncer_enabled</c>) has no target.
    /// </summary>
    public static IReadOnlyList<ScrapeTarget> ScrapeTargets(PgCluster cluster, VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(vars);
        var jobs = new List<(string, int)>();
        if (vars.Bool("pg_exporter_enabled", true))
        {
            jobs.Add(("pgsql", vars.Int("pg_exporter_port", 9630)));
        }

        if (vars.Bool("pgbouncer_enabled", true) && vars.Bool("pgbouncer_exporter_enabled", true))
        {
            jobs.Add(("pgbouncer", vars.Int("pgbouncer_exporter_port", 9631)));
        }

        jobs.Add(("patroni", vars.Int("patroni_port", 8008)));
        return jobs.SelectMany(job => cluster.Instances.Select(i => new ScrapeTarget(job.Item1, i.Name, [new IPEndPoint(i.Address, job.Item2).ToString()],
            ScrapeTarget.Identity(cluster.Name, i.Name, i.Address.ToString())))).ToList();
    }
}

using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// Pigsty's PGSQL module: PostgreSQL 15 managed by Patroni (etcd3 DCS), pgbouncer, HAProxy services, pgBackRest and exporters
/// on instance nodes; scrape targets and alert rules on INFRA nodes. <paramref name="resources"/> feeds the pg_conf profiles.
/// </summary>
public sealed class PgsqlModule(INodeResources resources) : IModule
{
    /// <summary>Debian packages of an instance (haproxy belongs to NODE).</summary>
    public static readonly IReadOnlyList<string> Packages =
    [
        "postgresql-15", "patroni", "python3-etcd", "python3-psycopg2", "pgbouncer", "pgbackrest",
        "prometheus-postgres-exporter",
    ];

    /// <summary>Stops postgresql-common from creating a cluster of its own when postgresql-15 is installed.</summary>
    public const string CreateClusterConf = "# written by pigsty-appliance: Patroni creates the cluster, not postgresql-common\ncreate_main_cluster = false\n";


    /// <summary>vmalert rules: PostgreSQL, pgbouncer or Patroni down, replication lag, archiving failures, backups too old.</summary>
    public static readonly AlertRuleFile Rules = AlertRuleFile.Of("Pgsql", "pgsql.yml");

    /// <summary>PGSQL runs on pg_cluster groups; its exporters, pgbouncer's and Patroni's REST API are scraped.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("PGSQL", ModuleGroup.PgClusters, Packages, ["pgsql-main", "pgsql-common"],
    [
        new ScrapeJob("pgsql", "/metrics", "PostgreSQL exporters"),
        new ScrapeJob("pgbouncer", "/metrics", "pgbouncer exporters"),
        new ScrapeJob("patroni", "/metrics", "Patroni REST API"),
    ],
    [Rules])
    {
        Ports =
        [
            new("postgres", 5432, "pg_port"), new("pgbouncer", 6432, "pgbouncer_port"), new("patroni", 8008, "patroni_port"),
            new("pg_exporter", 9630, "pg_exporter_port"), new("pgbouncer_exporter", 9631, "pgbouncer_exporter_port"),
            new("haproxy service primary", 5433), new("haproxy service replica", 5434), new("haproxy service default", 5436),
            new("haproxy service offline", 5438),
        ],
    };

    public string Name => Descriptor.Name;

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var registers = node.Infra is not null && node.Inventory.PgClusters.Count > 0;
        if (node.Pg is null && !registers)
        {
            return ModulePlan.Skip(Name, node.Inventory.PgClusters.Count == 0
                ? "the inventory defines no PostgreSQL cluster"
                : "this node is neither a PostgreSQL instance nor an INFRA node");
        }

        var steps = new List<Step>();
        var notes = new List<string>();
        if (node.Pg is not null)
        {
            if (node.Inventory.Etcd.Count == 0)
            {
                return ModulePlan.Skip(Name, "Patroni needs an etcd cluster, and the inventory defines none");
            }

            var settings = Available(PgsqlSettings.From(node, resources), node.Repo, notes);
            steps.AddRange(PgsqlSteps.Instance(settings));
            notes.AddRange(Notes(settings, node));
        }

        if (registers)
        {
            steps.Add(PgsqlSteps.Register(node));
        }

        return ModulePlan.Run(Name, steps, notes);
    }

    /// <summary>Keeps the extensions the bundle can provide and names the others in a note.</summary>
    private static PgsqlSettings Available(PgsqlSettings settings, RepoCatalog repo, List<string> notes) => settings with
    {
        Databases = settings.Databases.Select(d => d with
        {
            Extensions = d.Extensions.Where(e =>
            {
                var package = PgExtensions.PackageOf(e.Name);
                if (package is null || (package.Length > 0 && repo.Has(package)))
                {
                    return true;
                }

                notes.Add($"extension {e.Name} of database {d.Name} skipped: "
                    + (package.Length == 0 ? "no known package provides it" : $"the bundle lacks {package}"));
                return false;
            }).ToList(),
        }).ToList(),
    };

    private static IEnumerable<string> Notes(PgsqlSettings settings, NodeContext node)
    {
        if (settings.VipEnabled)
        {
            yield return "pg_vip_enabled is set, but vip-manager is not installed by this version: no L2 VIP";
        }

        foreach (var user in PgbouncerRenderer.WithoutPassword(settings))
        {
            yield return $"user {user} has pgbouncer: true but no password, so pgbouncer cannot authenticate it";
        }

        var minioFirst = node.Inventory.Minio.FirstOrDefault()?.Members.FirstOrDefault()?.Address;
        if (settings.Backup.Options.FirstOrDefault(o => o.Key == "s3_key_secret")?.Secret is { } s3Secret
            && node.Vars.Find(s3Secret) is null && minioFirst is not null && !minioFirst.Equals(node.Address))
        {
            yield return $"{s3Secret} is not in the seed: MinIO ({minioFirst}) creates the S3 user with its own copy, "
                + "so it has to come from the seed (or one shared credentials file)";
        }

        if (settings.Members.Count > 1)
        {
            var missing = new[] { PgsqlSettings.ReplicationPasswordName, PgsqlSettings.MonitorPasswordName, PgsqlSettings.AdminPasswordName,
                PgsqlSettings.PatroniPasswordName }.Where(n => node.Vars.Find(n) is null).ToList();
            if (missing.Count > 0)
            {
                yield return $"{string.Join(", ", missing)} not in the seed: every instance of '{settings.Cluster}' must share them, "
                    + "so they have to come from the seed (or one shared credentials file)";
            }
        }
    }
}

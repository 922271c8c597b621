using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// Pigsty's PGSQL module: PostgreSQL (the bundle's major) managed by Patroni (etcd3 DCS), pgbouncer, HAProxy services, pgBackRest and exporters
/// on instance nodes; scrape targets and alert rules on INFRA nodes. <paramref name="resources"/> feeds the pg_conf profiles.
/// </summary>
public sealed class PgsqlModule(INodeResources resources) : IModule
{
    /// <summary>Debian packages that run beside the server whatever its major (haproxy belongs to NODE).</summary>
    public static readonly IReadOnlyList<string> CommonPackages =
    [
        "patroni", "python3-etcd", "python3-psycopg2", "pgbouncer", "pgbackrest", "prometheus-postgres-exporter",
    ];

    /// <summary>Debian's server package of a PostgreSQL major, e.g. <c>postgresql-17</c>.</summary>
    public static string ServerPackage(int version) => $"postgresql-{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The base packages for a PostgreSQL major: the server and what runs beside it.</summary>
    public static IReadOnlyList<string> PackagesFor(int version) => [ServerPackage(version), .. CommonPackages];

    /// <summary>
    /// What an instance installs with Pigsty's defaults on <paramref name="platform"/>: the base list for the release's PostgreSQL and
    /// the packages of <c>pg_default_extensions</c> (pg_repack). An image preinstalls these.
    /// </summary>
    public static IReadOnlyList<string> Preinstall(TargetPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return
        [
            .. PackagesFor(platform.PgMajor),
            .. PgsqlSettings.DefaultExtensionList.Select(e => PgExtensions.PackageOf(e.Name, platform.PgMajor)).OfType<string>().Distinct(StringComparer.Ordinal),
        ];
    }

    /// <summary>Stops postgresql-common from creating a cluster of its own when the server package is installed.</summary>
    public const string CreateClusterConf = "# written by pigsty-appliance: Patroni creates the cluster, not postgresql-common\ncreate_main_cluster = false\n";


    /// <summary>vmalert rules: PostgreSQL, pgbouncer or Patroni down, replication lag, archiving failures, backups too old.</summary>
    public static readonly AlertRuleFile Rules = AlertRuleFile.Of("Pgsql", "pgsql.yml");

    /// <summary>PGSQL runs on pg_cluster groups; its exporters, pgbouncer's and Patroni's REST API are scraped.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("PGSQL", ModuleGroup.PgClusters, Preinstall, ["pgsql-main", "pgsql-common"],
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
        ],

        // What Pigsty's PGSQL dashboards show first, over prometheus-postgres-exporter's and pgBackRest's series.
        Queries =
        [
            new("PostgreSQL up", "pg_up{job=\"pgsql\"}", "1 = up, 0 = down"),
            new("TPS", "sum by (cls, ins) (rate(pg_stat_database_xact_commit{job=\"pgsql\"}[1m]) + rate(pg_stat_database_xact_rollback{job=\"pgsql\"}[1m]))",
                "transactions per second"),
            new("Connections", "sum by (cls, ins) (pg_stat_database_numbackends{job=\"pgsql\"})", "backends"),
            new("Replication lag", "pg_replication_lag{job=\"pgsql\"}", "seconds behind the primary"),
            new("Backup age", "(time() - max by (cls) (" + PgsqlUnits.BackupMetric + ")) / 3600", "hours since the last backup"),
        ],

        // HAProxy's services: Pigsty's four (5433 primary, 5434 replica, 5436 default, 5438 offline) unless pg_default_services
        // says otherwise, and every pg_services entry, so the firewall lets the site reach a custom service too.
        InventoryPorts = vars => PgService.Of(vars).Select(s => new ServicePort($"haproxy service {s.Name}", s.Port)),

        // The portal's connection strings: every service and instance port with the users Pigsty's rules let in there.
        Connections = PgConnections.Of,
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
            var missing = MissingSharedSecrets(settings, node);
            try
            {
                steps.AddRange(PgsqlSteps.Instance(settings, node));
            }
            catch (InputException e)
            {
                missing.AddRange(e.Problems);
            }

            if (missing.Count > 0)
            {
                throw new InputException(missing);
            }

            notes.AddRange(Notes(settings));
        }

        if (registers)
        {
            steps.Add(PgsqlSteps.Register(node));
        }

        return ModulePlan.Run(Name, steps, notes);
    }

    /// <summary>Keeps the extensions the bundle can provide (of pg_default_extensions and each database) and names the others in a note.</summary>
    private static PgsqlSettings Available(PgsqlSettings settings, RepoCatalog repo, List<string> notes)
    {
        bool Keep(PgExtension extension, string where)
        {
            var package = PgExtensions.PackageOf(extension.Name, settings.Version);
            if (extension.Absent || package is null || repo.Has(package))
            {
                return true;
            }

            notes.Add($"extension {extension.Name} of {where} skipped: the bundle lacks {package}");
            return false;
        }

        return settings with
        {
            DefaultExtensions = settings.DefaultExtensions.Where(e => Keep(e, "pg_default_extensions")).ToList(),
            Databases = settings.Databases.Select(d => d with { Extensions = d.Extensions.Where(e => Keep(e, $"database {d.Name}")).ToList() }).ToList(),
        };
    }

    private static IEnumerable<string> Notes(PgsqlSettings settings)
    {
        foreach (var note in settings.PackageNotes)
        {
            yield return note;
        }

        if (settings.Crontab is { } crontab && settings.BackupEnabled && !crontab.Any(e => e.Command.Contains(PgsqlUnits.BackupScriptPath, StringComparison.Ordinal)))
        {
            yield return $"pg_crontab schedules no {PgsqlUnits.BackupScriptPath}: after the initial full backup, none is taken on a schedule";
        }

        foreach (var user in PgbouncerRenderer.WithoutPassword(settings))
        {
            yield return $"user {user} has pgbouncer: true but no password, so pgbouncer cannot authenticate it";
        }

        foreach (var line in ServiceAccess.Of(settings).Explain())
        {
            yield return line;
        }
    }

    /// <summary>Secrets this instance shares with other nodes that the seed does not give (generated here, they would differ there).</summary>
    private static List<InputProblem> MissingSharedSecrets(PgsqlSettings settings, NodeContext node)
    {
        var (cluster, _) = node.Pg!.Value;
        var members = settings.Members.Select(m => m.Address).ToList();
        var missing = new List<InputProblem>();
        if (SharedSecret.IsShared(members))
        {
            var who = $"the instances of '{settings.Cluster}'";
            missing.AddRange(new[] { PgsqlSettings.ReplicationPasswordName, PgsqlSettings.MonitorPasswordName, PgsqlSettings.AdminPasswordName,
                PgsqlSettings.PatroniPasswordName }.Where(n => !node.Gives(n)).Select(n => SharedSecret.Missing(cluster.Vars, n, who, members)));

            // A pooled user's password is in every instance's pgbouncer user list: a generated one would differ per node.
            var entries = (node.Vars.Find("pg_users") as YamlSequence)?.Items.OfType<YamlMapping>().ToList() ?? [];
            foreach (var user in settings.Users.Where(u => u.Pgbouncer && u.Password is null && u.PasswordSecret == PgUser.GeneratedSecretName(u.Name)
                && !node.Gives(u.PasswordSecret)))
            {
                if (entries.FirstOrDefault(e => e.Find("name")?.AsString() == user.Name) is { } entry)
                {
                    missing.Add(new InputProblem(entry.Location, YamlReader.ChildPath(entry.Path, "password"),
                        $"missing; {user.Name} has pgbouncer: true, so {SharedSecret.Why($"the pgbouncers of {who}", members)}"));
                }
            }
        }

        missing.AddRange(new[] { PatroniEtcdUser.MissingPassword(node, cluster) }.OfType<InputProblem>());
        var minioFirst = node.Inventory.Minio.FirstOrDefault()?.Members.FirstOrDefault()?.Address;
        if (settings.Backup.Options.FirstOrDefault(o => o.Key == "s3_key_secret")?.Secret is { } s3Secret
            && !node.Gives(s3Secret) && minioFirst is not null && SharedSecret.IsShared([minioFirst, node.Address]))
        {
            missing.Add(SharedSecret.Missing(node.Inventory.GlobalVars, s3Secret,
                "MinIO's first member, which creates the S3 user, and this node's pgBackRest", [minioFirst, node.Address]));
        }

        return missing;
    }
}

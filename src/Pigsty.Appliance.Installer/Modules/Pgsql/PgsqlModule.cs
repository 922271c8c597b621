using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

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

    private static readonly TimeSpan PrimaryDeadline = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ReplicaDeadline = TimeSpan.FromMinutes(30);

    public string Name => "PGSQL";

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
            steps.AddRange(InstanceSteps(settings));
            notes.AddRange(Notes(settings, node));
        }

        if (registers)
        {
            steps.Add(Register(node));
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

    private static IEnumerable<Step> InstanceSteps(PgsqlSettings settings)
    {
        var self = settings.Self;
        var postgres = FileSpec.Directory.OwnedBy(settings.Dbsu);
        var private0700 = new FileSpec(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, settings.Dbsu, settings.Dbsu);
        var secret = FileSpec.Secret.OwnedBy(settings.Dbsu);
        yield return CommonSteps.Files("pgsql.createcluster", "keep postgresql-common from creating its own cluster",
            [ManagedFile.Of("/etc/postgresql-common/createcluster.conf", _ => CreateClusterConf, FileSpec.Config)],
            [("/etc/postgresql-common", FileSpec.Directory)]);
        yield return CommonSteps.Packages("pgsql.packages", [.. Packages, .. ExtensionPackages(settings)]);
        yield return CommonSteps.Mask("pgsql.mask-postgresql", "postgresql.service");
        yield return CommonSteps.Mask("pgsql.mask-pgbouncer-socket", "pgbouncer.socket");
        yield return CommonSteps.Mask("pgsql.mask-pgbackrest", "pgbackrest.service");
        yield return CommonSteps.Files("pgsql.directories", $"directories of {self.Name} under /pg and /etc",
            [ManagedFile.Of(PgsqlUnits.BackupScriptPath, _ => PgsqlUnits.BackupScript(settings), FileSpec.Directory)],
            [
                ("/pg", postgres), (settings.DataDir, private0700), ("/pg/bin", FileSpec.Directory), (PgsqlSettings.CertDir, postgres),
                (settings.LogDir, postgres), ($"{settings.LogDir}/postgres", postgres), ($"{settings.LogDir}/patroni", postgres),
                ($"{settings.LogDir}/pgbouncer", postgres), ($"{settings.LogDir}/pgbackrest", postgres), ("/pg/tmp", private0700),
                ("/etc/patroni", FileSpec.Directory), (PgsqlSettings.PgbouncerDir, FileSpec.Directory), ("/etc/pgbackrest", FileSpec.Directory),
                .. settings.Backup.LocalPath is { } repo ? new[] { (repo, private0700) } : [],
            ]);
        yield return CertificateSteps.Issue("pgsql.certificate", new ServerCertificate(
            self.Name, [self.Name, settings.Cluster, "localhost"], [self.Address, IPAddress.Loopback],
            $"{PgsqlSettings.CertDir}/server.crt", $"{PgsqlSettings.CertDir}/server.key", $"{PgsqlSettings.CertDir}/ca.crt", secret));
        if (settings.BackupEnabled)
        {
            yield return CommonSteps.Files("pgsql.backup.config", $"pgBackRest stanza {settings.Cluster} ({settings.Backup.Method} repository)",
                [new ManagedFile(PgsqlSettings.PgbackrestConfigPath, async (c, t) => PgbackrestRenderer.Render(settings, await RepositoryAsync(c, settings, t)), secret)]);
        }

        if (!settings.IsPrimary)
        {
            var primary = new Uri($"http://{new IPEndPoint(settings.Primary.Address, settings.PatroniPort)}/primary");
            yield return new Step("pgsql.await-primary", $"wait for the primary {settings.Primary.Name} before cloning from it",
                (c, t) => c.Machine.Services.IsActiveAsync("patroni.service", t),
                (c, t) => c.Machine.Health.WaitForHttpAsync("patroni.service", primary, ReplicaDeadline, t),
                (_, _) => Task.CompletedTask);
        }

        var patroni = PgsqlUnits.Patroni(settings);
        var role = settings.IsPrimary ? "primary" : "replica";
        var health = new Uri($"http://{new IPEndPoint(self.Address, settings.PatroniPort)}/{role}");
        yield return CommonSteps.Service("pgsql.patroni", $"Patroni and PostgreSQL {self.Name} as {role}", patroni.Name,
            [new ManagedFile(PgsqlSettings.PatroniConfigPath, async (c, t) => PatroniRenderer.Render(settings, await SecretsAsync(c, settings, t)), secret), patroni.File()],
            (c, t) => c.Machine.Health.WaitForHttpAsync(patroni.Name, health, settings.IsPrimary ? PrimaryDeadline : ReplicaDeadline, t),
            reload: true);
        if (settings.IsPrimary)
        {
            yield return ScriptSteps.Once("pgsql.roles", $"roles of {settings.Cluster}: {string.Join(", ", settings.Users.Select(u => u.Name))}",
                async (c, t) => SqlRenderer.Roles(settings, await SecretsAsync(c, settings, t)),
                async (c, s, t) => await c.Machine.Processes.RunAsync(PgsqlCommands.Psql(settings, s, Secrets(await SecretsAsync(c, settings, t), settings)), t));
        }

        if (settings.IsPrimary && settings.Databases.Count > 0)
        {
            yield return ScriptSteps.Once("pgsql.databases", $"databases of {settings.Cluster}: {string.Join(", ", settings.Databases.Select(d => d.Name))}",
                (_, _) => Task.FromResult(SqlRenderer.Databases(settings)),
                (c, s, t) => c.Machine.Processes.RunAsync(PgsqlCommands.Psql(settings, s, []), t));
        }

        if (settings.PgbouncerEnabled)
        {
            var pgbouncer = PgsqlUnits.Pgbouncer(settings);
            var readable = FileSpec.ReadableBy(settings.Dbsu);
            yield return CommonSteps.Service("pgsql.pgbouncer", $"pgbouncer on :{settings.PgbouncerPort} ({settings.PoolMode} pooling)", pgbouncer.Name,
            [
                ManagedFile.Of(PgbouncerRenderer.IniPath, _ => PgbouncerRenderer.Ini(settings), readable),
                ManagedFile.Of(PgbouncerRenderer.DatabasesPath, _ => PgbouncerRenderer.Databases(settings), readable),
                ManagedFile.Of(PgbouncerRenderer.UserOptionsPath, _ => PgbouncerRenderer.UserOptions(settings), readable),
                ManagedFile.Of(PgbouncerRenderer.HbaPath, _ => HbaRenderer.PgbouncerFile(settings), readable),
                new ManagedFile(PgbouncerRenderer.UserListPath, async (c, t) => PgbouncerRenderer.UserList(settings, await SecretsAsync(c, settings, t)), secret),
                pgbouncer.File(),
            ],
            (c, t) => c.Machine.Health.WaitForPortAsync(pgbouncer.Name, self.Address.ToString(), settings.PgbouncerPort, TimeSpan.FromMinutes(1), t),
            reload: true);
        }

        if (settings.BackupEnabled && settings.IsPrimary)
        {
            yield return new Step("pgsql.backup.stanza", $"pgBackRest stanza {settings.Cluster} and WAL archiving",
                async (c, t) => await PgsqlCommands.StanzaAsync(c, settings, t) is (0 or 2, _),
                (c, t) => c.Machine.Processes.RunAsync(PgsqlCommands.Pgbackrest(settings, "stanza-create"), t),
                (c, t) => c.Machine.Processes.RunAsync(PgsqlCommands.Pgbackrest(settings, "check"), t));
            if (settings.InitialBackup)
            {
                yield return new Step("pgsql.backup.initial", $"initial full backup of {settings.Cluster}",
                    async (c, t) => await PgsqlCommands.StanzaAsync(c, settings, t) is (_, > 0),
                    (c, t) => c.Machine.Processes.RunAsync(new Core.Processes.ProcessSpec(PgsqlUnits.BackupScriptPath, ["full"]) { Timeout = TimeSpan.FromHours(6) }, t),
                    async (c, t) =>
                    {
                        if (await PgsqlCommands.StanzaAsync(c, settings, t) is not (_, > 0))
                        {
                            throw new InstallException("pgsql.backup.initial", $"pgbackrest info shows no backup of {settings.Cluster} after the full backup");
                        }
                    });
            }
        }

        if (settings.BackupEnabled)
        {
            var timer = PgsqlUnits.BackupTimer(settings);
            yield return CommonSteps.Service("pgsql.backup.schedule", "daily full backup at 01:00 (pgbackrest-full.timer)", timer.Name,
                [PgsqlUnits.BackupService(settings).File(), timer.File()], (_, _) => Task.CompletedTask);
        }

        var exporter = PgsqlUnits.PostgresExporter(settings);
        yield return CommonSteps.Service("pgsql.exporter", $"PostgreSQL exporter on :{settings.ExporterPort}", exporter.Name,
            [new ManagedFile(PgsqlSettings.ExporterEnvPath, async (c, t) => PgsqlUnits.ExporterEnvironment(settings, await SecretsAsync(c, settings, t)), FileSpec.Secret), exporter.File()],
            (c, t) => c.Machine.Health.WaitForPortAsync(exporter.Name, self.Address.ToString(), settings.ExporterPort, TimeSpan.FromMinutes(1), t));
        if (settings.PgbouncerEnabled)
        {
            var pgbExporter = PgsqlUnits.PgbouncerExporter(settings);
            yield return CommonSteps.Service("pgsql.pgbouncer-exporter", $"pgbouncer exporter on :{settings.PgbouncerExporterPort}", pgbExporter.Name,
                [pgbExporter.File()],
                (c, t) => c.Machine.Health.WaitForPortAsync(pgbExporter.Name, self.Address.ToString(), settings.PgbouncerExporterPort, TimeSpan.FromMinutes(1), t));
        }

        yield return CommonSteps.Service("pgsql.haproxy", $"HAProxy services {settings.Cluster}-primary/replica/default/offline (5433-5438)", "haproxy.service",
            [ManagedFile.Of(HaproxyRenderer.Path(settings), _ => HaproxyRenderer.Render(settings), FileSpec.Config)],
            (c, t) => c.Machine.Health.WaitForPortAsync("haproxy.service", self.Address.ToString(), 5433, TimeSpan.FromMinutes(1), t),
            reload: true);
    }

    private static IEnumerable<string> ExtensionPackages(PgsqlSettings settings) =>
        settings.Databases.SelectMany(d => d.Extensions).Select(e => PgExtensions.PackageOf(e.Name)).OfType<string>()
            .Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static Step Register(NodeContext node)
    {
        var files = node.Inventory.PgClusters.SelectMany(c => PgsqlMonitoring.ScrapeTargets(c, node.Vars))
            .Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config))
            .Append(ManagedFile.Of($"{NodePaths.AlertRules}/pgsql.yml", _ => PgsqlMonitoring.Rules, FileSpec.Config))
            .ToList();
        var names = node.Inventory.PgClusters.SelectMany(c => c.Instances).Select(i => i.Name);
        return CommonSteps.Files("pgsql.register", $"scrape targets and alert rules for PostgreSQL ({string.Join(", ", names)})", files,
        [
            ($"{NodePaths.ScrapeTargets}/pgsql", FileSpec.Directory), ($"{NodePaths.ScrapeTargets}/pgbouncer", FileSpec.Directory),
            ($"{NodePaths.ScrapeTargets}/patroni", FileSpec.Directory), (NodePaths.AlertRules, FileSpec.Directory),
        ]);
    }

    private static async Task<PgSecrets> SecretsAsync(StepContext context, PgsqlSettings settings, CancellationToken cancellationToken)
    {
        var credentials = context.Node.Credentials;
        var dbsu = context.Node.Vars.Find("pg_dbsu_password")?.AsString();
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in settings.Users.Select(u => u.PasswordSecret).OfType<string>().Where(s => s.StartsWith("pg_user_", StringComparison.Ordinal)))
        {
            users[secret] = await credentials.GetAsync(secret, cancellationToken);
        }

        return new PgSecrets(
            await credentials.GetAsync(PgsqlSettings.ReplicationPasswordName, cancellationToken),
            await credentials.GetAsync(PgsqlSettings.MonitorPasswordName, cancellationToken),
            await credentials.GetAsync(PgsqlSettings.AdminPasswordName, cancellationToken),
            await credentials.GetAsync(PgsqlSettings.PatroniPasswordName, cancellationToken),
            await credentials.GetAsync(Etcd.EtcdSettings.RootPasswordName, cancellationToken),
            string.IsNullOrEmpty(dbsu) ? null : dbsu,
            users);
    }

    private static IReadOnlyList<string> Secrets(PgSecrets secrets, PgsqlSettings settings) =>
        secrets.All.Concat(settings.Users.Select(u => u.Password).OfType<string>()).ToList();

    private static async Task<IReadOnlyList<(string Key, string Value)>> RepositoryAsync(StepContext context, PgsqlSettings settings, CancellationToken cancellationToken)
    {
        var options = new List<(string, string)>();
        foreach (var option in settings.Backup.Options)
        {
            options.Add((option.Key, option.Secret is { } name ? await context.Node.Credentials.GetAsync(name, cancellationToken) : option.Value));
        }

        return options;
    }
}

using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>PGSQL's steps: an instance's packages, directories, Patroni, roles, databases, pgbouncer, backups, exporters and HAProxy
/// services; the INFRA node's scrape targets and rules.</summary>
internal static class PgsqlSteps
{
    /// <summary>
    /// How long <c>pgbackrest check</c> waits for its WAL switch to be archived. From Patroni's bootstrap until the stanza exists every
    /// archive-push fails, so PostgreSQL's archiver is in its one-minute back-off when the stanza appears, and an async push on a
    /// loaded node takes more again: pgBackRest's default 60 s failed the HA boot test's primary while its archiving recovered.
    /// </summary>
    internal const string CheckArchiveTimeout = "--archive-timeout=300";

    /// <summary>
    /// pgBackRest's archive-timeout for the initial full backup, given as its environment variable (pg-backup passes the environment
    /// to pgbackrest): the backup waits for its stop segment to be archived. In HA run 5 each async push took 90-160 s on the starved
    /// primary, and the default 60 s failed the backup with [082] though archiving worked. The configuration keeps Pigsty's default.
    /// </summary>
    internal static readonly KeyValuePair<string, string?> InitialBackupArchiveTimeout = new("PGBACKREST_ARCHIVE_TIMEOUT", "900");

    /// <summary>
    /// How long the primary's Patroni may take to bootstrap and answer /primary. In the HA boot test (three 1-vCPU TCG guests on two
    /// host cores) it took 459 s in one run and more than 600 s in the next, with Patroni logging "bootstrap in progress" and then
    /// "post_bootstrap in progress" the whole time: initdb and the bootstrap SQL on a starved node, not a stuck one.
    /// </summary>
    private static readonly TimeSpan PrimaryDeadline = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan ReplicaDeadline = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The stanza waits longer for PostgreSQL out of recovery than the bootstrap waits for Patroni: it runs while INFRA starts beside
    /// it on the admin node. In the HA boot test that node answered no psql on its local socket within 20 s for the whole 10 minutes
    /// (PostgreSQL logged replication logins cancelled by its 60 s authentication_timeout), until the other two nodes had finished.
    /// </summary>
    private static readonly TimeSpan StanzaDeadline = TimeSpan.FromMinutes(25);

    /// <summary>
    /// The databases script (template1's and postgres' baselines, then each database of pg_databases) may run this long, not psql's
    /// usual 10 minutes. In the HA boot test the admin node's script ran out of those 10 minutes on a starved guest: template1's
    /// baseline alone took 5 minutes (CREATE EXTENSION btree_gist 121 s, btree_gin 59 s), then postgres' started the same again.
    /// </summary>
    internal static readonly TimeSpan DatabasesTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The instance's certificate (issued by the admin node or the site command, installed by the instance).</summary>
    public static ServerCertificate Certificate(PgsqlSettings settings) => new("pgsql",
        settings.Self.Name, [settings.Self.Name, settings.Cluster, "localhost"], [settings.Self.Address, IPAddress.Loopback],
        $"{PgsqlSettings.CertDir}/server.crt", $"{PgsqlSettings.CertDir}/server.key", $"{PgsqlSettings.CertDir}/ca.crt", FileSpec.Secret.OwnedBy(settings.Dbsu));

    public static IEnumerable<Step> Instance(PgsqlSettings settings, NodeContext node)
    {
        var self = settings.Self;
        var postgres = FileSpec.Directory.OwnedBy(settings.Dbsu);
        var private0700 = new FileSpec(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, settings.Dbsu, settings.Dbsu);
        var secret = FileSpec.Secret.OwnedBy(settings.Dbsu);
        yield return CommonSteps.Files("pgsql.createcluster", "keep postgresql-common from creating its own cluster",
            [ManagedFile.Of("/etc/postgresql-common/createcluster.conf", _ => PgsqlModule.CreateClusterConf, FileSpec.Config)],
            [("/etc/postgresql-common", FileSpec.Directory)]);
        const string Packages = "pgsql.packages";
        var basePackages = PgsqlModule.PackagesFor(settings.Version);
        yield return CommonSteps.Packages(Packages,
            [.. basePackages, .. settings.ExtraPackages.Except(basePackages), .. ExtensionPackages(settings).Except(settings.ExtraPackages),
                .. settings.Vip is null ? Array.Empty<string>() : ["sudo"]], node)
            .After("pgsql.createcluster");
        string[] masks = ["pgsql.mask-postgresql", "pgsql.mask-pgbouncer-socket", "pgsql.mask-pgbackrest"];
        yield return CommonSteps.Mask(masks[0], "postgresql.service").After(Packages);
        yield return CommonSteps.Mask(masks[1], "pgbouncer.socket").After(Packages);
        yield return CommonSteps.Mask(masks[2], "pgbackrest.service").After(Packages);
        yield return CommonSteps.Files("pgsql.directories", $"directories of {self.Name} under /pg and /etc",
            [ManagedFile.Of(PgsqlUnits.BackupScriptPath, _ => PgsqlUnits.BackupScript(settings), FileSpec.Directory)],
            [
                ("/pg", postgres), (settings.DataDir, private0700), ("/pg/bin", FileSpec.Directory), (PgsqlSettings.CertDir, postgres),
                (settings.LogDir, postgres), ($"{settings.LogDir}/postgres", postgres), ($"{settings.LogDir}/patroni", postgres),
                ($"{settings.LogDir}/pgbouncer", postgres), ($"{settings.LogDir}/pgbackrest", postgres), ("/pg/tmp", private0700),
                ("/etc/patroni", FileSpec.Directory), (PgsqlSettings.PgbouncerDir, FileSpec.Directory), ("/etc/pgbackrest", FileSpec.Directory),
                .. settings.Backup.LocalPath is { } repo ? new[] { (repo, private0700) } : [],
            ]).After(Packages);
        yield return CertificateSteps.For(node, "pgsql.certificate", Certificate(settings))
            .After("pgsql.directories").Needing(Outputs.SiteCa);
        List<string> beforePatroni = ["pgsql.directories", "pgsql.certificate"];
        if (settings.BackupEnabled)
        {
            yield return CommonSteps.Files("pgsql.backup.config", $"pgBackRest stanza {settings.Cluster} ({settings.Backup.Method} repository)",
                [new ManagedFile(PgsqlSettings.PgbackrestConfigPath, async (c, t) => PgbackrestRenderer.Render(settings, await RepositoryAsync(c, settings, t)), secret)])
                .After("pgsql.directories");
            beforePatroni.Add("pgsql.backup.config");
        }

        if (settings.Vip is { } vip)
        {
            // The callback script and its sudoers rule are in place before Patroni first runs it (the interface is resolved on the node).
            var sudoers = ManagedFile.Of(PgVipRenderer.SudoersPath, _ => PgVipRenderer.Sudoers(settings.Dbsu), CheckedFile.SudoersSpec);
            yield return new Step("pgsql.vip", $"VIP {vip.Cidr} on the leader of {settings.Cluster} (Patroni callback {PgVipRenderer.ScriptPath})",
                (c, t) => CommonSteps.AllCurrentAsync(c, [sudoers, VipScript(settings, vip)], t),
                async (c, t) =>
                {
                    await VipScript(settings, vip).WriteAsync(c, t);
                    await CheckedFile.SudoersAsync(c, "pgsql.vip", PgVipRenderer.SudoersPath, PgVipRenderer.Sudoers(settings.Dbsu), t);
                },
                (c, t) => c.Machine.Processes.RunAsync(ProcessSpec.Of("visudo", "--check", "--quiet", "--file", PgVipRenderer.SudoersPath), t))
                .After("pgsql.directories");
            beforePatroni.Add("pgsql.vip");
        }

        if (!settings.IsPrimary)
        {
            // Whoever holds the leader key answers /primary: the bootstrapping primary at first, another member after a failover.
            var others = settings.Members.Where(m => m != self).ToList();
            yield return new Step("pgsql.await-primary",
                $"wait for the leader of {settings.Cluster} (the one of {string.Join(", ", others.Select(m => m.Name))} answering /primary) before cloning from it",
                (c, t) => c.Machine.Services.IsActiveAsync("patroni.service", t),
                (c, t) => FirstAsync(others.Select(m => (Func<CancellationToken, Task>)(token => c.Machine.Health.WaitForHttpAsync("patroni.service",
                    new Uri($"http://{new IPEndPoint(m.Address, settings.PatroniPort)}/primary"), ReplicaDeadline, token))).ToList(), t),
                (_, _) => Task.CompletedTask);
            beforePatroni.Add("pgsql.await-primary");
        }

        // Patroni bootstraps PostgreSQL once etcd answers; pgbouncer, the exporters and the backup schedule start beside it, and the
        // HAProxy services open once the database and pgbouncer are there (from then on 5433 takes writes).
        var patroni = PgsqlUnits.Patroni(settings);
        var role = settings.IsPrimary ? "primary" : "replica";
        var health = new Uri($"http://{new IPEndPoint(self.Address, settings.PatroniPort)}/{role}");
        var services = new List<Step>
        {
            CommonSteps.Service("pgsql.patroni", $"Patroni and PostgreSQL {self.Name} as {role}", patroni.Name,
                [new ManagedFile(PgsqlSettings.PatroniConfigPath, async (c, t) => PatroniRenderer.Render(settings, await SecretsAsync(c, settings, t)), secret), patroni.File()],
                (c, t) => c.Machine.Health.WaitForHttpAsync(patroni.Name, health, settings.IsPrimary ? PrimaryDeadline : ReplicaDeadline, t),
                reload: true)
                .After(beforePatroni).Needing(Outputs.Etcd, Outputs.KernelTuning, Outputs.EtcHosts),
        };
        if (settings.PgbouncerEnabled)
        {
            var pgbouncer = PgsqlUnits.Pgbouncer(settings);
            var readable = FileSpec.ReadableBy(settings.Dbsu);
            services.Add(CommonSteps.Service("pgsql.pgbouncer", $"pgbouncer on :{settings.PgbouncerPort} ({settings.PoolMode} pooling)", pgbouncer.Name,
            [
                ManagedFile.Of(PgbouncerRenderer.IniPath, _ => PgbouncerRenderer.Ini(settings), readable),
                ManagedFile.Of(PgbouncerRenderer.DatabasesPath, _ => PgbouncerRenderer.Databases(settings), readable),
                ManagedFile.Of(PgbouncerRenderer.UserOptionsPath, _ => PgbouncerRenderer.UserOptions(settings), readable),
                ManagedFile.Of(PgbouncerRenderer.HbaPath, _ => HbaRenderer.PgbouncerFile(settings), readable),
                new ManagedFile(PgbouncerRenderer.UserListPath, async (c, t) => PgbouncerRenderer.UserList(settings, await SecretsAsync(c, settings, t)), secret),
                pgbouncer.File(),
            ],
            (c, t) => c.Machine.Health.WaitForPortAsync(pgbouncer.Name, self.Address.ToString(), settings.PgbouncerPort, CommonSteps.HealthDeadline, t),
            reload: true).After("pgsql.directories"));
        }

        // pg_crontab, when given, replaces the default daily backup timer (Pigsty's crontab holds the backup entries then).
        if (settings.Crontab is null && settings.BackupEnabled)
        {
            var timer = PgsqlUnits.BackupTimer(settings);
            services.Add(CommonSteps.Service("pgsql.backup.schedule", "daily full backup at 01:00 (pgbackrest-full.timer)", timer.Name,
                [PgsqlUnits.BackupService(settings).File(), timer.File()], (_, _) => Task.CompletedTask).After("pgsql.backup.config"));
        }

        // The exporter logs in as the monitor user, which the primary's roles step creates (a replica gets it by replication).
        if (settings.ExporterEnabled)
        {
            var exporter = PgsqlUnits.PostgresExporter(settings);
            services.Add(CommonSteps.Service("pgsql.exporter", $"PostgreSQL exporter on :{settings.ExporterPort}", exporter.Name,
                [new ManagedFile(PgsqlSettings.ExporterEnvPath, async (c, t) => PgsqlUnits.ExporterEnvironment(settings, await SecretsAsync(c, settings, t)), FileSpec.Secret), exporter.File()],
                (c, t) => c.Machine.Health.WaitForPortAsync(exporter.Name, self.Address.ToString(), settings.ExporterPort, CommonSteps.HealthDeadline, t))
                .After(settings.IsPrimary ? "pgsql.roles" : "pgsql.patroni"));
        }

        if (settings.PgbouncerEnabled && settings.PgbouncerExporterEnabled)
        {
            var pgbExporter = PgsqlUnits.PgbouncerExporter(settings);
            services.Add(CommonSteps.Service("pgsql.pgbouncer-exporter", $"pgbouncer exporter on :{settings.PgbouncerExporterPort}", pgbExporter.Name,
                [pgbExporter.File()],
                (c, t) => c.Machine.Health.WaitForPortAsync(pgbExporter.Name, self.Address.ToString(), settings.PgbouncerExporterPort, CommonSteps.HealthDeadline, t))
                .After("pgsql.pgbouncer"));
        }

        var withUnits = CommonSteps.WithUnits("pgsql.units", services, [Packages, .. masks]).ToList();
        yield return withUnits[0];
        yield return withUnits[1];
        if (settings.IsPrimary)
        {
            yield return ScriptSteps.Once("pgsql.roles", $"roles of {settings.Cluster}: {string.Join(", ", settings.Users.Select(u => u.Name))}",
                async (c, t) => SqlRenderer.Roles(settings, await RolePasswords.VerifiersAsync(c, settings, await SecretsAsync(c, settings, t), t)),
                async (c, s, t) => await c.Machine.Processes.RunAsync(PgsqlCommands.Psql(settings, s, Secrets(await SecretsAsync(c, settings, t), settings)), t))
                .After("pgsql.patroni");
        }

        // state: absent/recreate drops after the roles step (which may reassign what a dropped role owns) and before the databases step
        // (which creates a recreated database anew).
        var drops = settings.IsPrimary && (settings.DroppedUsers.Count > 0 || settings.DroppedDatabases.Count > 0);
        if (drops)
        {
            yield return ScriptSteps.Once("pgsql.drop",
                $"drop {string.Join(", ", settings.DroppedDatabases.Select(d => $"database {d}").Concat(settings.DroppedUsers.Select(u => $"role {u}")))} (state: absent/recreate)",
                (_, _) => Task.FromResult(PgsqlDrops.Script(settings)),
                (c, _, t) => PgsqlDrops.ApplyAsync(c.Machine.Processes, settings, t))
                .After("pgsql.roles");
        }

        // On the primary template1 and postgres always get Pigsty's defaults, whether or not pg_databases lists more.
        var databases = settings.IsPrimary;
        if (databases)
        {
            yield return ScriptSteps.Once("pgsql.databases",
                $"template1 and postgres (default schemas, extensions, privileges){string.Concat(settings.Databases.Select(d => ", " + d.Name))}",
                (_, _) => Task.FromResult(SqlRenderer.Databases(settings)),
                (c, s, t) => c.Machine.Processes.RunAsync(PgsqlCommands.Psql(settings, s, [], timeout: DatabasesTimeout), t))
                .After(["pgsql.roles", .. drops ? ["pgsql.drop"] : Array.Empty<string>()]);
        }

        foreach (var step in withUnits.Skip(2).Where(s => s.Id == "pgsql.pgbouncer"))
        {
            yield return step;
        }

        if (settings.BackupEnabled && settings.IsPrimary)
        {
            yield return new Step("pgsql.backup.stanza", $"pgBackRest stanza {settings.Cluster} and WAL archiving",
                async (c, t) => await PgsqlCommands.StanzaAsync(c, settings, t) is (0 or 2, _),
                (c, t) => PgbackrestOnPrimary.RunAsync(c, settings, ["stanza-create"], StanzaDeadline, t),
                (c, t) => PgbackrestOnPrimary.RunAsync(c, settings, ["check", CheckArchiveTimeout], StanzaDeadline, t))
                .After("pgsql.patroni", "pgsql.backup.config").Needing(Outputs.ObjectStorage, Outputs.EtcHosts);
            if (settings.InitialBackup)
            {
                yield return new Step("pgsql.backup.initial", $"initial full backup of {settings.Cluster}",
                    async (c, t) => await PgsqlCommands.StanzaAsync(c, settings, t) is (_, > 0),
                    (c, t) => c.Machine.Processes.RunAsync(new Core.Processes.ProcessSpec(PgsqlUnits.BackupScriptPath, ["full"])
                    {
                        Timeout = TimeSpan.FromHours(6),
                        Environment = new Dictionary<string, string?>([InitialBackupArchiveTimeout]),
                    }, t),
                    async (c, t) =>
                    {
                        if (await PgsqlCommands.StanzaAsync(c, settings, t) is not (_, > 0))
                        {
                            throw new InstallException("pgsql.backup.initial", $"pgbackrest info shows no backup of {settings.Cluster} after the full backup");
                        }
                    }).After("pgsql.backup.stanza");
            }
        }

        // pg_crontab's timers run /pg/bin/pg-backup (pgsql.directories) as the dbsu (the packages). Planned even when unset, so that
        // removing pg_crontab from the inventory takes away the timers an earlier run wrote (with none, the step has nothing to do).
        yield return CronSteps.Timers("pgsql.crontab", "pigsty-pg-cron", settings.Crontab ?? [], overwrite: true).After("pgsql.directories");

        foreach (var step in withUnits.Skip(2).Where(s => s.Id != "pgsql.pgbouncer"))
        {
            yield return step;
        }

        var routes = settings.Services.Select(s => $"{settings.Cluster}-{s.Service.Name} :{s.Service.Port}").ToList();
        yield return CommonSteps.Service("pgsql.haproxy",
            routes.Count == 0 ? $"HAProxy: no services for {settings.Cluster}" : $"HAProxy services {string.Join(", ", routes)}", "haproxy.service",
            [ManagedFile.Of(HaproxyRenderer.Path(settings), _ => HaproxyRenderer.Render(settings), FileSpec.Config)],
            async (c, t) =>
            {
                // Every service port must answer: a port another program holds would otherwise pass unnoticed until a client connects.
                foreach (var route in settings.Services.Where(r => r.Service.Ip is "*" or "0.0.0.0" || r.Service.Ip == self.Address.ToString()))
                {
                    await c.Machine.Health.WaitForPortAsync("haproxy.service", self.Address.ToString(), route.Service.Port, CommonSteps.HealthDeadline, t);
                }
            },
            reload: true)
            .After(["pgsql.patroni", .. settings.PgbouncerEnabled ? ["pgsql.pgbouncer"] : Array.Empty<string>(), .. databases ? ["pgsql.databases"] : Array.Empty<string>()])
            .Needing(Outputs.Haproxy)
            .Serving();
    }

    /// <summary>Runs the waits together until one succeeds (the others are cancelled); when all fail, the last failure is thrown.</summary>
    private static async Task FirstAsync(IReadOnlyList<Func<CancellationToken, Task>> waits, CancellationToken cancellationToken)
    {
        using var won = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = waits.Select(w => w(won.Token)).ToList();
        while (true)
        {
            var done = await Task.WhenAny(running);
            if (done.IsCompletedSuccessfully)
            {
                await won.CancelAsync();
                return;
            }

            running.Remove(done);
            if (running.Count == 0)
            {
                await done;
            }
        }
    }

    private static ManagedFile VipScript(PgsqlSettings settings, PgVip vip) => new(PgVipRenderer.ScriptPath,
        async (c, t) => PgVipRenderer.Script(settings, vip, await VipInterface.ResolveAsync(c, "pg_vip_interface", vip.Interface, settings.Self.Address, t)),
        FileSpec.Directory);

    private static IEnumerable<string> ExtensionPackages(PgsqlSettings settings) =>
        settings.Databases.SelectMany(d => d.Extensions).Concat(settings.DefaultExtensions).Where(e => !e.Absent)
            .Select(e => PgExtensions.PackageOf(e.Name, settings.Version)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public static Step Register(NodeContext node)
    {
        var files = node.Inventory.PgClusters.SelectMany(c => PgsqlMonitoring.ScrapeTargets(c, c.Vars))
            .Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config))
            .Append(ManagedFile.Of(PgsqlModule.Rules.Path, _ => PgsqlModule.Rules.Text, FileSpec.Config))
            .ToList();
        var names = node.Inventory.PgClusters.SelectMany(c => c.Instances).Select(i => i.Name);
        return CommonSteps.Files("pgsql.register", $"scrape targets and alert rules for PostgreSQL ({string.Join(", ", names)})", files,
        [
            ($"{NodePaths.ScrapeTargets}/pgsql", FileSpec.Directory), ($"{NodePaths.ScrapeTargets}/pgbouncer", FileSpec.Directory),
            ($"{NodePaths.ScrapeTargets}/patroni", FileSpec.Directory), (NodePaths.AlertRules, FileSpec.Directory),
        ]).Giving(Outputs.AlertRules);
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
            await settings.EtcdUser.PasswordAsync(credentials, cancellationToken),
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

using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>
/// Pigsty's MINIO module: a TLS MinIO server with buckets and users on minio nodes; scrape targets and DNS records on INFRA nodes;
/// the cluster's names in <c>/etc/hosts</c> on PostgreSQL nodes whose pgBackRest uses it. Skipped, visibly, when the bundle lacks MinIO.
/// </summary>
public sealed class MinioModule : IModule
{
    /// <summary>The server and the client (both wrapped into .debs by the bundler from MinIO's releases).</summary>
    public static readonly IReadOnlyList<string> Packages = [ObjectStorage.ServerPackage, ObjectStorage.ClientPackage];

    public string Name => "MINIO";

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var clusters = node.Inventory.Minio;
        var membership = node.Minio;
        var registers = node.Infra is not null && clusters.Count > 0;
        var client = membership is null && clusters.Count > 0 && node.Pg is not null && node.Vars.String("pgbackrest_method", "local") == "minio";
        if (membership is null && !registers && !client)
        {
            return ModulePlan.Skip(Name, clusters.Count == 0
                ? "the inventory defines no minio cluster"
                : "this node is neither a minio member, an INFRA node nor a PostgreSQL node backing up to minio");
        }

        if (ObjectStorage.MissingFromBundle(node.Repo) is { } missing)
        {
            return ModulePlan.Skip(Name, missing);
        }

        var steps = new List<Step>();
        var notes = new List<string>();
        if (membership is var (cluster, member))
        {
            var settings = MinioSettings.From(node.Vars, cluster, member);
            steps.AddRange(MemberSteps(settings));
            if (settings.Members.Count > 1)
            {
                var shared = new[] { MinioSettings.RootSecretName }.Concat(settings.Users.Where(u => u.SecretKey is null).Select(u => u.SecretName))
                    .Where(n => node.Vars.Find(n) is null).ToList();
                if (shared.Count > 0)
                {
                    notes.Add($"{string.Join(", ", shared)} not in the seed: every member of '{settings.Cluster}' must share them, "
                        + "so they have to come from the seed (or one shared credentials file)");
                }
            }
        }
        else if (client)
        {
            steps.Add(Hosts(MinioSettings.From(node.Vars, clusters[0], null)));
        }

        if (registers)
        {
            steps.Add(Register(clusters.Select(c => MinioSettings.From(node.Vars, c, null)).ToList()));
        }

        return ModulePlan.Run(Name, steps, notes);
    }

    /// <summary>How long to wait for /minio/health/live: a lone server is quick, a member of a cluster waits for its peers' names to resolve.</summary>
    public static TimeSpan HealthDeadline(MinioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Members.Count == 1 ? TimeSpan.FromMinutes(2) : MinioProvision.PeerDeadline;
    }

    private static IEnumerable<Step> MemberSteps(MinioSettings settings)
    {
        var self = settings.Member;
        var owned = new FileSpec(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, settings.User, settings.User);
        yield return CommonSteps.Packages("minio.packages", Packages);
        yield return SystemUser(settings.User);
        yield return CommonSteps.Files("minio.directories", $"minio directories ({string.Join(", ", settings.Drives)}, {MinioSettings.CertsDirectory})", [],
        [
            .. settings.Drives.Select(d => (d, owned)),
            ("/etc/minio", FileSpec.Directory), (MinioSettings.CertsDirectory, owned), ($"{MinioSettings.CertsDirectory}/CAs", owned),
        ]);
        yield return Hosts(settings);
        if (settings.Https)
        {
            yield return CertificateSteps.Issue("minio.certificate", new ServerCertificate(
                self.Name, [self.Name, settings.Domain, "localhost"], [self.Address, IPAddress.Loopback],
                $"{MinioSettings.CertsDirectory}/public.crt", $"{MinioSettings.CertsDirectory}/private.key", $"{MinioSettings.CertsDirectory}/CAs/ca.crt",
                FileSpec.Secret.OwnedBy(settings.User)));
        }

        var unit = MinioRenderer.Unit(settings);
        yield return CommonSteps.Service("minio.service", $"MinIO {self.Name} ({settings.Scheme}://{HostAddress.ForUri(self.Address)}:{settings.Port}, volumes {settings.Volumes})", unit.Name,
        [
            new ManagedFile(MinioSettings.EnvironmentPath,
                async (c, t) => MinioRenderer.Environment(settings, await c.Node.Credentials.GetAsync(MinioSettings.RootSecretName, t)), FileSpec.Secret),
            unit.File(),
        ],
        (c, t) => settings.Https
            ? c.Machine.Health.WaitForHttpsAsync(unit.Name, settings.LiveUri, CertificateSteps.CaCertificatePath, HealthDeadline(settings), t)
            : c.Machine.Health.WaitForHttpAsync(unit.Name, settings.LiveUri, HealthDeadline(settings), t));
        if (self == settings.First)
        {
            yield return MinioProvision.Step(settings);
        }
    }

    /// <summary>The service's system user: the package creates it, but our unit must not depend on how a build of the package does.</summary>
    private static Step SystemUser(string user) => new(
        "minio.user",
        $"system user {user}",
        (c, t) => ExistsAsync(c, user, t),
        (c, t) => c.Machine.Processes.RunAsync(ProcessSpec.Of("useradd", "--system", "--user-group", "--no-create-home",
            "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", user), t),
        async (c, t) =>
        {
            if (!await ExistsAsync(c, user, t))
            {
                throw new InstallException("minio.user", $"user {user} still does not exist after useradd");
            }
        });

    private static async Task<bool> ExistsAsync(StepContext context, string user, CancellationToken cancellationToken) =>
        (await context.Machine.Processes.RunAsync(new ProcessSpec("id", ["--user", user]) { ThrowOnNonZeroExit = false }, cancellationToken)).Succeeded;

    /// <summary>The members' names and the S3 domain in <c>/etc/hosts</c>: MinIO finds its peers by name, pgBackRest the domain.</summary>
    private static Step Hosts(MinioSettings settings) => CommonSteps.Files(
        "minio.hosts",
        $"/etc/hosts: {string.Join(", ", settings.HostRecords)}",
        [new ManagedFile(EtcHostsFile.Path,
            async (c, t) => EtcHostsFile.Render(await c.Machine.Files.ReadAsync(EtcHostsFile.Path, t), settings.HostRecords, "MINIO"), FileSpec.Config)]);

    private static Step Register(IReadOnlyList<MinioSettings> clusters)
    {
        var files = clusters.SelectMany(MinioRenderer.ScrapeTargets)
            .Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config))
            .Concat(clusters.Select(c => ManagedFile.Of($"{NodePaths.DnsRecords}/minio-{c.Cluster}", _ => MinioRenderer.DnsRecords(c), FileSpec.Config)))
            .ToList();
        return CommonSteps.Files("minio.register",
            $"scrape targets and DNS records for minio ({string.Join(", ", clusters.SelectMany(c => c.Members).Select(m => m.Name))})",
            files,
            [($"{NodePaths.ScrapeTargets}/minio", FileSpec.Directory), (NodePaths.DnsRecords, FileSpec.Directory)]);
    }
}

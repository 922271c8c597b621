using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Modules.Minio.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>MINIO's steps: a member's user, directories, certificate, service and provisioning; names in /etc/hosts; the INFRA node's targets and DNS records.</summary>
internal static class MinioSteps
{
    /// <summary>The member's certificate when MinIO speaks HTTPS (issued by the admin node or the site command, installed by the member).</summary>
    public static ServerCertificate Certificate(MinioSettings settings) => new("minio",
        settings.Member.Name, [settings.Member.Name, settings.Domain, "localhost"], [settings.Member.Address, IPAddress.Loopback],
        $"{MinioSettings.CertsDirectory}/public.crt", $"{MinioSettings.CertsDirectory}/private.key", $"{MinioSettings.CertsDirectory}/CAs/ca.crt",
        FileSpec.Secret.OwnedBy(settings.User));

    public static IEnumerable<Step> Member(MinioSettings settings, NodeContext node)
    {
        var self = settings.Member;
        var owned = new FileSpec(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, settings.User, settings.User);
        const string Packages = "minio.packages";
        yield return CommonSteps.Packages(Packages, MinioModule.Packages, node);
        yield return SystemUser(settings.User).After(Packages);
        yield return CommonSteps.Files("minio.directories", $"minio directories ({string.Join(", ", settings.Drives)}, {MinioSettings.CertsDirectory})", [],
        [
            .. settings.Drives.Select(d => (d, owned)),
            ("/etc/minio", FileSpec.Directory), (MinioSettings.CertsDirectory, owned), ($"{MinioSettings.CertsDirectory}/CAs", owned),
        ]).After("minio.user");
        yield return Hosts(settings);
        List<string> before = ["minio.directories", "minio.hosts"];
        if (settings.Https)
        {
            yield return CertificateSteps.For(node, "minio.certificate", Certificate(settings)).After("minio.directories").Needing(Outputs.SiteCa);
            before.Add("minio.certificate");
        }

        var unit = MinioRenderer.Unit(settings);
        var service = CommonSteps.Service("minio.service", $"MinIO {self.Name} ({settings.Scheme}://{HostAddress.ForUri(self.Address)}:{settings.Port}, volumes {settings.Volumes})", unit.Name,
        [
            new ManagedFile(MinioSettings.EnvironmentPath,
                async (c, t) => MinioRenderer.Environment(settings, await c.Node.Credentials.GetAsync(MinioSettings.RootSecretName, t)), FileSpec.Secret),
            unit.File(),
        ],
        (c, t) => settings.Https
            ? c.Machine.Health.WaitForHttpsAsync(unit.Name, settings.LiveUri, CertificateSteps.CaCertificatePath, MinioModule.HealthDeadline(settings), t)
            : c.Machine.Health.WaitForHttpAsync(unit.Name, settings.LiveUri, MinioModule.HealthDeadline(settings), t))
            .After(before);
        foreach (var step in CommonSteps.WithUnits("minio.units", [service], Packages))
        {
            yield return step;
        }

        if (self == settings.First)
        {
            yield return MinioProvision.Step(settings).After("minio.service").Giving(Outputs.ObjectStorage);
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
    /// <remarks>NODE writes the file too: this step goes after it (it needs and gives the same output, and never waits for itself).</remarks>
    public static Step Hosts(MinioSettings settings) => CommonSteps.Files(
        "minio.hosts",
        $"/etc/hosts: {string.Join(", ", settings.HostRecords)}",
        [new ManagedFile(EtcHostsFile.Path,
            async (c, t) => EtcHostsFile.Render(await c.Machine.Files.ReadAsync(EtcHostsFile.Path, t), settings.HostRecords, "MINIO"), FileSpec.Config)])
        .Needing(Outputs.EtcHosts).Giving(Outputs.EtcHosts);

    public static Step Register(IReadOnlyList<MinioSettings> clusters)
    {
        var files = clusters.SelectMany(MinioRenderer.ScrapeTargets)
            .Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config))
            .Concat(clusters.Select(c => ManagedFile.Of($"{NodePaths.DnsRecords}/minio-{c.Cluster}", _ => MinioRenderer.DnsRecords(c), FileSpec.Config)))
            .ToList();
        return CommonSteps.Files("minio.register",
            $"scrape targets and DNS records for minio ({string.Join(", ", clusters.SelectMany(c => c.Members).Select(m => m.Name))})",
            files,
            [($"{NodePaths.ScrapeTargets}/minio", FileSpec.Directory), (NodePaths.DnsRecords, FileSpec.Directory)]).Giving(Outputs.DnsRecords);
    }
}

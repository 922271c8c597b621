using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>
/// Pigsty's MINIO module: a TLS MinIO server with buckets and users on minio nodes; scrape targets and DNS records on INFRA nodes;
/// the cluster's names in <c>/etc/hosts</c> on PostgreSQL nodes whose pgBackRest uses it. Skipped, visibly, when the bundle lacks MinIO.
/// </summary>
public sealed class MinioModule : IModule
{
    /// <summary>The server and the client (both wrapped into .debs by the bundler from MinIO's releases).</summary>
    public static readonly IReadOnlyList<string> Packages = [ObjectStorage.ServerPackage, ObjectStorage.ClientPackage];

    /// <summary>MINIO runs on minio_cluster groups; Debian ships neither package, the recipe wraps both from release binaries.</summary>
    public static ModuleDescriptor Descriptor { get; } = new("MINIO", ModuleGroup.MemberClusters("minio"), _ => Packages, [ObjectStorage.ServerPackage, ObjectStorage.ClientPackage],
        [new ScrapeJob("minio", "/minio/v2/metrics/cluster", "MinIO servers") { SiteCa = true }], [])
    {
        // The console (minio_admin_port) listens on loopback only.
        Ports = [new("minio (S3 API and metrics)", ObjectStorage.DefaultPort, "minio_port")],
    };

    public string Name => Descriptor.Name;

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
        if (membership is var (cluster, member))
        {
            var settings = MinioSettings.From(node.Vars, cluster, member);
            var members = settings.Members.Select(m => m.Address).ToList();
            var unshared = new[] { MinioSettings.RootSecretName }.Concat(settings.Users.Where(u => u.SecretKey is null).Select(u => u.SecretName))
                .Where(n => !node.Gives(n) && SharedSecret.IsShared(members))
                .Select(n => SharedSecret.Missing(node.Inventory.GlobalVars, n, $"the members of minio cluster '{settings.Cluster}'", members))
                .ToList();
            try
            {
                steps.AddRange(MinioSteps.Member(settings, node));
            }
            catch (InputException e)
            {
                unshared.AddRange(e.Problems);
            }

            if (unshared.Count > 0)
            {
                throw new InputException(unshared);
            }
        }
        else if (client)
        {
            steps.Add(MinioSteps.Hosts(MinioSettings.From(node.Vars, clusters[0], null)));
        }

        if (registers)
        {
            steps.Add(MinioSteps.Register(clusters.Select(c => MinioSettings.From(node.Vars, c, null)).ToList()));
        }

        return ModulePlan.Run(Name, steps);
    }

    /// <summary>How long to wait for /minio/health/live: a lone server is quick, a member of a cluster waits for its peers' names to resolve.</summary>
    public static TimeSpan HealthDeadline(MinioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Members.Count == 1 ? TimeSpan.FromMinutes(2) : MinioProvision.PeerDeadline;
    }
}

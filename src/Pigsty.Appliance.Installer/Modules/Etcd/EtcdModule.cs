using System.Net;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>Pigsty's ETCD module: a TLS etcd member with RBAC on etcd nodes; scrape targets and alert rules on INFRA nodes.</summary>
public sealed class EtcdModule : IModule
{
    /// <summary>Debian's packages for the server and etcdctl.</summary>
    public static readonly IReadOnlyList<string> Packages = ["etcd-server", "etcd-client"];

    private static readonly FileSpec DataDirectory = new(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "etcd", "etcd");

    public string Name => "ETCD";

    public ModulePlan Plan(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var membership = node.Etcd;
        var registers = node.Infra is not null && node.Inventory.Etcd.Count > 0;
        if (membership is null && !registers)
        {
            return ModulePlan.Skip(Name, node.Inventory.Etcd.Count == 0
                ? "the inventory defines no etcd cluster"
                : "this node is neither an etcd member nor an INFRA node");
        }

        var steps = new List<Step>();
        var notes = new List<string>();
        if (membership is var (cluster, member))
        {
            var settings = EtcdSettings.From(node.Vars, cluster, member);
            steps.AddRange(MemberSteps(settings));
            if (settings.Members.Count > 1 && node.Vars.Find(EtcdSettings.RootPasswordName) is null)
            {
                notes.Add($"{EtcdSettings.RootPasswordName} is not in the seed: every member of '{settings.Cluster}' must share it, "
                    + "so it has to come from the seed (or one shared credentials file)");
            }
        }

        if (registers)
        {
            steps.Add(Register(node.Inventory.Etcd.Select(c => EtcdSettings.From(node.Vars, c, null)).ToList()));
        }

        return ModulePlan.Run(Name, steps, notes);
    }

    /// <summary>How long to wait for /health: a lone member is quick, a member of a cluster needs a quorum of peers that may still be installing.</summary>
    public static TimeSpan HealthDeadline(EtcdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Members.Count == 1 ? TimeSpan.FromMinutes(2) : EtcdAuth.PeerDeadline;
    }

    private static IEnumerable<Step> MemberSteps(EtcdSettings settings)
    {
        var self = settings.Member;
        yield return CommonSteps.Packages("etcd.packages", Packages);
        yield return CommonSteps.Files("etcd.directories", $"etcd directories ({EtcdSettings.ConfigDirectory}, {settings.DataDir})", [],
            [(EtcdSettings.ConfigDirectory, FileSpec.Directory), (settings.DataDir, DataDirectory)]);
        yield return CertificateSteps.Issue("etcd.certificate", new ServerCertificate(
            self.Name, [self.Name, "localhost"], [self.Address, IPAddress.Loopback],
            EtcdSettings.CertificatePath, EtcdSettings.KeyPath, EtcdSettings.CaPath, FileSpec.Secret.OwnedBy("etcd")));
        var unit = EtcdRenderer.Unit(settings);
        yield return CommonSteps.Service("etcd.service", $"etcd member {self.Name} ({settings.ClientEndpoint})", unit.Name,
            [ManagedFile.Of(EtcdSettings.ConfigPath, _ => EtcdRenderer.Config(settings), FileSpec.ReadableBy("etcd")), unit.File()],
            (c, t) => c.Machine.Health.WaitForHttpAsync(unit.Name, settings.HealthUri, HealthDeadline(settings), t));
        yield return self == settings.First ? EtcdAuth.Enable(settings) : EtcdAuth.Await(settings);
    }

    private static Step Register(IReadOnlyList<EtcdSettings> clusters)
    {
        var files = clusters.SelectMany(EtcdRenderer.ScrapeTargets)
            .Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config))
            .Append(ManagedFile.Of($"{NodePaths.AlertRules}/etcd.yml", _ => EtcdRenderer.Rules, FileSpec.Config))
            .ToList();
        return CommonSteps.Files("etcd.register", $"scrape targets and alert rules for etcd ({string.Join(", ", clusters.SelectMany(c => c.Members).Select(m => m.Name))})",
            files,
            [($"{NodePaths.ScrapeTargets}/etcd", FileSpec.Directory), (NodePaths.AlertRules, FileSpec.Directory)]);
    }
}

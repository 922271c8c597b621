using System.Net;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Modules.Etcd.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>ETCD's steps: a member's packages, directories, certificate, service, RBAC and Patroni's users; the INFRA node's scrape targets and rules.</summary>
internal static class EtcdSteps
{
    private static readonly FileSpec DataDirectory = new(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "etcd", "etcd");

    /// <param name="patroniUsers">The etcd users of the PostgreSQL clusters on this etcd cluster (the first member creates them).</param>
    public static IEnumerable<Step> Member(EtcdSettings settings, IReadOnlyList<PatroniEtcdUser> patroniUsers, NodeContext node)
    {
        var self = settings.Member;
        const string Packages = "etcd.packages";
        yield return CommonSteps.Packages(Packages, EtcdModule.Packages, node);
        yield return CommonSteps.Files("etcd.directories", $"etcd directories ({EtcdSettings.ConfigDirectory}, {settings.DataDir})", [],
            [(EtcdSettings.ConfigDirectory, FileSpec.Directory), (settings.DataDir, DataDirectory)]).After(Packages);
        yield return CertificateSteps.For(node, "etcd.certificate", Certificate(settings)).After(Packages).Needing(Outputs.SiteCa);
        var unit = EtcdRenderer.Unit(settings);
        var service = CommonSteps.Service("etcd.service", $"etcd member {self.Name} ({settings.ClientEndpoint})", unit.Name,
            [ManagedFile.Of(EtcdSettings.ConfigPath, _ => EtcdRenderer.Config(settings), FileSpec.ReadableBy("etcd")), unit.File()],
            (c, t) => c.Machine.Health.WaitForHttpAsync(unit.Name, settings.HealthUri, EtcdModule.HealthDeadline(settings), t))
            .After("etcd.directories", "etcd.certificate").Needing(Outputs.EtcHosts);
        foreach (var step in CommonSteps.WithUnits("etcd.units", [service], Packages))
        {
            yield return step;
        }

        yield return (self == settings.First ? EtcdAuth.Enable(settings) : EtcdAuth.Await(settings)).After("etcd.service").Giving(Outputs.Etcd);
        if (self == settings.First && patroniUsers.Count > 0)
        {
            // Patroni logs into etcd as its own user: every Patroni waits for the users as it waits for etcd.
            yield return EtcdPatroniUsers.Step(settings, patroniUsers).After("etcd.auth").Giving(Outputs.Etcd);
        }
    }

    /// <summary>The member's certificate (issued by the admin node or the site command, installed by the member).</summary>
    public static ServerCertificate Certificate(EtcdSettings settings) => new("etcd",
        settings.Member.Name, [settings.Member.Name, "localhost"], [settings.Member.Address, IPAddress.Loopback],
        EtcdSettings.CertificatePath, EtcdSettings.KeyPath, EtcdSettings.CaPath, FileSpec.Secret.OwnedBy("etcd"));

    public static Step Register(IReadOnlyList<EtcdSettings> clusters)
    {
        var files = clusters.SelectMany(EtcdRenderer.ScrapeTargets)
            .Select(target => ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config))
            .Append(ManagedFile.Of(EtcdModule.Rules.Path, _ => EtcdModule.Rules.Text, FileSpec.Config))
            .ToList();
        return CommonSteps.Files("etcd.register", $"scrape targets and alert rules for etcd ({string.Join(", ", clusters.SelectMany(c => c.Members).Select(m => m.Name))})",
            files,
            [($"{NodePaths.ScrapeTargets}/etcd", FileSpec.Directory), (NodePaths.AlertRules, FileSpec.Directory)]).Giving(Outputs.AlertRules);
    }
}

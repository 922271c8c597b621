using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>NODE's steps; each wires a renderer to the machine through a common step shape.</summary>
internal static class NodeSteps
{
    private const string AptSourcesList = "/etc/apt/sources.list";
    private const string AptSourcesDir = "/etc/apt/sources.list.d";
    private const string AptBackupDir = "/etc/apt/backup";
    private const string RepoKeyring = NodeLayout.Repo + "/" + RepoLayout.PublicKey;

    /// <summary>How long a node waits for the admin node's repository: nodes may boot together, the admin node serves it after INFRA.</summary>
    private static readonly TimeSpan RepoWait = TimeSpan.FromMinutes(30);

    public static Step Hostname(NodeSettings settings) => CommonSteps.Configure(
        "node.hostname",
        $"hostname {settings.Hostname}",
        [ManagedFile.Of("/etc/hostname", _ => settings.Hostname + "\n", FileSpec.Config)],
        async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of("hostname", settings.Hostname), t),
        inEffect: async (c, t) => (await c.Machine.Processes.RunAsync(ProcessSpec.Of("hostname"), t)).StandardOutput.Trim() == settings.Hostname);

    /// <summary>The admin user (no password: login by the listed SSH keys only) with passwordless sudo.</summary>
    public static Step Admin(NodeAdmin admin)
    {
        var owned = FileSpec.Secret.OwnedBy(admin.Username);
        ManagedFile[] files =
        [
            ManagedFile.Of(admin.SudoersPath, _ => admin.SudoersLine, new FileSpec(UnixFileMode.UserRead | UnixFileMode.GroupRead)),
            ManagedFile.Of($"{admin.Home}/.ssh/authorized_keys", _ => admin.AuthorizedKeys, owned),
        ];
        return new Step(
            "node.admin",
            $"admin user {admin.Username} (uid {admin.Uid}): sudo, {admin.PublicKeys.Count} SSH key(s)",
            async (c, t) => await UserExistsAsync(c, admin, t) && await CommonSteps.AllCurrentAsync(c, files, t),
            async (c, t) =>
            {
                if (!await UserExistsAsync(c, admin, t))
                {
                    await c.Machine.Processes.RunAsync(ProcessSpec.Of("useradd", "--uid", admin.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        "--user-group", "--create-home", "--shell", "/bin/bash", admin.Username), t);
                }

                await c.Machine.Files.EnsureDirectoryAsync($"{admin.Home}/.ssh", new FileSpec(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, admin.Username, admin.Username), t);
                foreach (var file in files)
                {
                    await file.WriteAsync(c, t);
                }
            },
            async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of("visudo", "--check", "--quiet", "--file", admin.SudoersPath), t));
    }

    private static async Task<bool> UserExistsAsync(StepContext context, NodeAdmin admin, CancellationToken cancellationToken) =>
        (await context.Machine.Processes.RunAsync(new ProcessSpec("id", ["--user", admin.Username]) { ThrowOnNonZeroExit = false }, cancellationToken))
            .StandardOutput.Trim() == admin.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Step Hosts(NodeSettings settings) => CommonSteps.Files(
        "node.hosts",
        $"/etc/hosts: {string.Join(", ", settings.EtcHosts)}",
        [new ManagedFile(EtcHostsFile.Path,
            async (c, t) => EtcHostsFile.Render(await c.Machine.Files.ReadAsync(EtcHostsFile.Path, t), settings.EtcHosts),
            FileSpec.Config)]);

    /// <summary>
    /// The local repository as the node's package source: <c>signed-by</c> when the bundle ships its public key, other sources
    /// moved to <c>/etc/apt/backup</c> (they are unreachable offline), then <c>apt-get update</c> once. A node other than the
    /// admin node first waits until the admin node serves the repository.
    /// </summary>
    public static Step Repo(NodeSettings settings) => CommonSteps.Configure(
        "node.repo",
        $"apt source {settings.RepoUri} (others moved to {AptBackupDir}), apt-get update",
        [ManagedFile.Of(AptSourceFile.Path,
            c => AptSourceFile.Render(settings.RepoUri, c.Machine.Files.Exists(RepoKeyring) ? RepoKeyring : null),
            FileSpec.Config)],
        async (c, t) =>
        {
            if (settings.RepoRemoveOthers)
            {
                foreach (var source in ForeignSources(c.Machine.Files))
                {
                    var text = await c.Machine.Files.ReadAsync(source, t) ?? "";
                    await c.Machine.Files.WriteAsync($"{AptBackupDir}/{Path.GetFileName(source)}", text, FileSpec.Config, t);
                    await c.Machine.Files.DeleteAsync(source, t);
                }
            }

            if (settings.RepoUri.StartsWith("http", StringComparison.Ordinal))
            {
                await c.Machine.Health.WaitForHttpAsync($"the repository on the admin node {settings.AdminIp}", new Uri($"{settings.RepoUri}/Packages"), RepoWait, t);
            }

            await c.Machine.Packages.RefreshAsync(t);
        },
        inEffect: (c, _) => Task.FromResult(!settings.RepoRemoveOthers || ForeignSources(c.Machine.Files).Count == 0));

    public static Step Tune(NodeSettings settings) => CommonSteps.Configure(
        "node.tune",
        "kernel parameters and login limits for PostgreSQL",
        [
            ManagedFile.Of(KernelTuning.SysctlPath, _ => KernelTuning.RenderSysctl(settings.OvercommitRatio, settings.ExtraSysctl), FileSpec.Config),
            ManagedFile.Of(KernelTuning.LimitsPath, _ => KernelTuning.RenderLimits(), FileSpec.Config),
        ],
        // -e: a parameter this kernel lacks ('-' lines) is skipped, as systemd-sysctl does at boot.
        async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of("sysctl", "-e", "-q", "-p", KernelTuning.SysctlPath), t));

    public static Step Chrony(NodeSettings settings)
    {
        var unit = NodeUnits.Chrony();
        return CommonSteps.Service(
            "node.chrony",
            settings.NtpSources.Count == 0 ? "chrony (this node is the time source)" : $"chrony syncing from {string.Join(", ", settings.NtpSources)}",
            unit.Name,
            [ManagedFile.Of(ChronyClientConfig.Path, _ => ChronyClientConfig.Render(settings.NtpSources), FileSpec.Config), unit.File()],
            (c, t) => ChronyAnswersAsync(c, unit.Name, t));
    }

    /// <summary>chronyd has no TCP port: it is healthy when chronyc gets an answer over its command socket.</summary>
    public static Task ChronyAnswersAsync(StepContext context, string unit, CancellationToken cancellationToken) =>
        context.Machine.Health.WaitForCommandAsync(unit, ProcessSpec.Of("chronyc", "-n", "tracking"), CommonSteps.HealthDeadline, cancellationToken);

    public static Step Haproxy(NodeSettings settings) => CommonSteps.HttpService(
        "node.haproxy",
        $"haproxy: admin page and metrics on :{settings.HaproxyAdminPort}, services from {NodePaths.HaproxyServices}",
        NodeUnits.Haproxy(),
        settings.HaproxyAdminPort,
        "/metrics",
        [
            new ManagedFile(HaproxyConfig.Path, async (c, t) => HaproxyConfig.Render(settings, await AdminPasswordAsync(c, t)), HaproxyConfig.Spec),
            ManagedFile.Of($"{NodePaths.HaproxyServices}/README", _ => ServicesReadme, FileSpec.Config),
        ],
        reload: true);

    public static Step NodeExporter(NodeSettings settings) => CommonSteps.HttpService(
        "node.exporter",
        $"node_exporter on :{settings.NodeExporterPort}",
        NodeUnits.NodeExporter(settings.NodeExporterPort),
        settings.NodeExporterPort,
        "/metrics",
        []);

    public static Step Register(NodeSettings settings)
    {
        var target = settings.ScrapeTarget();
        return CommonSteps.Files(
            "node.register",
            $"scrape targets {string.Join(", ", target.Targets)} ({target.Path})",
            [ManagedFile.Of(target.Path, _ => target.Render(), FileSpec.Config)]);
    }

    private const string ServicesReadme =
        "# HAProxy service files: every *.cfg here is loaded after /etc/haproxy/haproxy.cfg (other names are ignored).\n"
        + "# PGSQL writes <cluster>.cfg with the cluster's services (5433 primary, 5434 replica, 5436 default, 5438 offline)\n"
        + "# and reloads haproxy.service; the reload checks the whole configuration first.\n";

    /// <summary>The admin password: the seed's (checked to be writable) or a generated one.</summary>
    private static async Task<string> AdminPasswordAsync(StepContext context, CancellationToken cancellationToken)
    {
        var password = await context.Node.Credentials.GetAsync(NodeSettings.HaproxyPasswordVar, cancellationToken);
        return HaproxyConfig.IsWritable(password)
            ? password
            : throw context.Node.Vars.Require(NodeSettings.HaproxyPasswordVar, "").Error("must be non-empty and must not contain a single quote (')");
    }

    /// <summary>Package sources other than ours: Debian's defaults and anything a previous setup left.</summary>
    private static List<string> ForeignSources(IFileSystem files) =>
    [
        .. files.Exists(AptSourcesList) ? [AptSourcesList] : Array.Empty<string>(),
        .. files.ListFiles(AptSourcesDir).Where(f => f != AptSourceFile.Path && (f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal))),
    ];
}

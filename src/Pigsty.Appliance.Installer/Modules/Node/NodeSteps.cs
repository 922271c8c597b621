using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
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

    private const string SshdProgram = "/usr/sbin/sshd";

    private const string SshUnit = "ssh.service";

    /// <summary>Debian's unit that loads /etc/nftables.conf at boot.</summary>
    private const string FirewallUnit = "nftables.service";

    /// <summary>How long a node waits for the admin node's repository: nodes may boot together, the admin node serves it after INFRA.</summary>

    public static Step Hostname(NodeSettings settings) => CommonSteps.Configure(
        "node.hostname",
        $"hostname {settings.Hostname}",
        [ManagedFile.Of("/etc/hostname", _ => settings.Hostname + "\n", FileSpec.Config)],
        async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of("hostname", settings.Hostname), t),
        inEffect: async (c, t) => (await c.Machine.Processes.RunAsync(ProcessSpec.Of("hostname"), t)).StandardOutput.Trim() == settings.Hostname);

    /// <summary>
    /// The admin user (no password: login by the listed SSH keys only) with passwordless sudo. The sudoers file is checked by
    /// <c>visudo</c> under a name sudo ignores (it contains a dot) and only then written in place, atomically: a file sudo
    /// refuses would lock everyone out of sudo.
    /// </summary>
    public static Step Admin(NodeAdmin admin)
    {
        var owned = FileSpec.Secret.OwnedBy(admin.Username);
        var sudoers = ManagedFile.Of(admin.SudoersPath, _ => admin.SudoersLine, CheckedFile.SudoersSpec);
        ManagedFile[] files = [sudoers, ManagedFile.Of($"{admin.Home}/.ssh/authorized_keys", _ => admin.AuthorizedKeys, owned)];
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
                await CheckedFile.SudoersAsync(c, "node.admin", admin.SudoersPath, admin.SudoersLine, t);
                await files[1].WriteAsync(c, t);
            },
            async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of("visudo", "--check", "--quiet", "--file", admin.SudoersPath), t));
    }

    /// <summary>
    /// SSH hardening (a drop-in checked with <c>sshd -t -f</c> before it is installed), then a reload of a running sshd. A node
    /// without an SSH server has nothing to harden.
    /// </summary>
    public static Step Sshd(NodeSettings settings)
    {
        var text = SshdConfig.Render(settings.Admin);
        var file = ManagedFile.Of(SshdConfig.Path, _ => text, FileSpec.Config);
        return new Step(
            "node.sshd",
            $"sshd: no root login{(settings.Admin is { PublicKeys.Count: > 0 } ? ", keys only" : "")}, no agent/X11/remote forwarding ({SshdConfig.Path})",
            async (c, t) => !c.Machine.Files.Exists(SshdProgram) || await file.IsCurrentAsync(c, t),
            async (c, t) =>
            {
                // sshd -t wants its privilege separation directory, which ssh.service makes when it starts.
                await c.Machine.Files.EnsureDirectoryAsync("/run/sshd", FileSpec.Directory, t);
                await CheckedFile.WriteAsync(c, "node.sshd", SshdConfig.Path, SshdConfig.CandidatePath, text, FileSpec.Config,
                    candidate => new ProcessSpec(SshdProgram, ["-t", "-f", candidate]), t);
                if (await c.Machine.Services.IsActiveAsync(SshUnit, t))
                {
                    await c.Machine.Services.ReloadAsync(SshUnit, t);
                }
            },
            async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of(SshdProgram, "-t"), t));
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
    /// The local repository as the node's package source, checked against the bundle's public key on this node's own disk
    /// (<c>signed-by</c>; an unsigned bundle is refused), other sources moved to <c>/etc/apt/backup</c> (they are unreachable
    /// offline), then <c>apt-get update</c> once.
    /// </summary>
    public static Step Repo(NodeSettings settings) => CommonSteps.Configure(
        "node.repo",
        $"apt source {settings.RepoUri} signed-by {RepoKeyring} (others moved to {AptBackupDir}), apt-get update",
        // Checked while rendering, so nothing is written for an unsigned bundle.
        [ManagedFile.Of(AptSourceFile.Path, c => c.Machine.Files.Exists(RepoKeyring)
            ? AptSourceFile.Render(settings.RepoUri, RepoKeyring)
            : throw new InstallException("node.repo", $"{RepoKeyring} is missing: the bundle is not signed, and this node installs "
                + "packages only from a repository it can check (rebuild the bundle; bundles are signed by default)"), FileSpec.Config)],
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

            await c.Machine.Packages.RefreshAsync(t);
        },
        inEffect: (c, _) => Task.FromResult(!settings.RepoRemoveOthers || ForeignSources(c.Machine.Files).Count == 0));

    /// <summary>/etc/resolv.conf with <c>node_dns_servers</c> (added first, or alone with overwrite) and <c>node_dns_options</c>.</summary>
    public static Step Dns(NodeSettings settings) => CommonSteps.Files(
        "node.dns",
        $"/etc/resolv.conf: nameservers {string.Join(", ", settings.DnsServers)} ({settings.DnsMethod})",
        [new ManagedFile(ResolvConf.Path,
            async (c, t) => ResolvConf.Render(await c.Machine.Files.ReadAsync(ResolvConf.Path, t), settings.DnsMethod, settings.DnsServers, settings.DnsOptions),
            FileSpec.Config)]);

    /// <summary><c>node_timezone</c>: /etc/localtime points at the zone's tzdata file (which must exist), /etc/timezone names it.</summary>
    public static Step Timezone(NodeSettings settings)
    {
        var zone = $"/usr/share/zoneinfo/{settings.Timezone}";
        return CommonSteps.Configure(
            "node.timezone",
            $"time zone {settings.Timezone}",
            [ManagedFile.Of("/etc/timezone", _ => settings.Timezone + "\n", FileSpec.Config)],
            async (c, t) =>
            {
                if (!c.Machine.Files.Exists(zone))
                {
                    throw new Core.Errors.InstallException("node.timezone", $"node_timezone '{settings.Timezone}': {zone} does not exist (is tzdata installed, is the name right?)");
                }

                await c.Machine.Processes.RunAsync(ProcessSpec.Of("ln", "-sfn", zone, "/etc/localtime"), t);
            },
            inEffect: async (c, t) => (await c.Machine.Processes.RunAsync(new ProcessSpec("readlink", ["/etc/localtime"]) { ThrowOnNonZeroExit = false }, t))
                .StandardOutput.Trim() == zone);
    }

    public static Step Aliases(NodeSettings settings) => CommonSteps.Files(
        "node.aliases",
        $"shell aliases: {string.Join(", ", settings.Aliases.Select(a => a.Name))}",
        [ManagedFile.Of(ShellAliases.Path, _ => ShellAliases.Render(settings.Aliases), FileSpec.Config)]);

    public static Step Crontab(NodeSettings settings) =>
        CronSteps.Timers("node.crontab", "pigsty-node-cron", settings.Crontab, settings.CrontabOverwrite);

    public static Step Tune(NodeSettings settings) => CommonSteps.Configure(
        "node.tune",
        $"kernel parameters (node_tune {settings.Tune}) and login limits",
        [
            ManagedFile.Of(KernelTuning.SysctlPath, _ => KernelTuning.RenderSysctl(settings.Tune, settings.OvercommitRatio, settings.ExtraSysctl), FileSpec.Config),
            ManagedFile.Of(KernelTuning.LimitsPath, _ => KernelTuning.RenderLimits(), FileSpec.Config),
        ],
        // -e: a parameter this kernel lacks ('-' lines) is skipped, as systemd-sysctl does at boot.
        async (c, t) => await c.Machine.Processes.RunAsync(ProcessSpec.Of("sysctl", "-e", "-q", "-p", KernelTuning.SysctlPath), t));

    /// <summary>
    /// The host firewall (nftables, our table only): written to /etc/nftables.conf for nftables.service to load at boot, and
    /// loaded now with <c>nft -f</c>, which applies the whole file or nothing.
    /// </summary>
    public static Step Firewall(FirewallSettings settings) => CommonSteps.Configure(
        "node.firewall",
        settings.Describe(),
        [ManagedFile.Of(NftablesConfig.Path, _ => NftablesConfig.Render(settings), FileSpec.Config)],
        async (c, t) =>
        {
            await c.Machine.Processes.RunAsync(ProcessSpec.Of("nft", "-f", NftablesConfig.Path), t);

            // The image (or the package step) masked the package's unit until this step configures it.
            await c.Machine.Services.UnmaskAsync(FirewallUnit, t);
            await c.Machine.Services.EnableAsync(FirewallUnit, t);
        },
        inEffect: async (c, t) => await c.Machine.Services.IsEnabledAsync(FirewallUnit, t)
            && (await c.Machine.Processes.RunAsync(new ProcessSpec("nft", ["list", "table", "inet", NftablesConfig.Table]) { ThrowOnNonZeroExit = false }, t))
                .Succeeded == (settings.Mode == FirewallSettings.Zone));

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
            .. settings.HaproxyServices.Select(s => ManagedFile.Of(HaproxyServiceFile.Path(s), _ => HaproxyServiceFile.Render(s), FileSpec.Config)),
        ],
        reload: true,
        host: settings.Address);

    /// <summary>keepalived holds the node VIP; its health is keepalived's own check of the configuration it runs with.</summary>
    public static Step Keepalived(NodeVip vip)
    {
        var unit = NodeUnits.Keepalived();
        return CommonSteps.Service(
            "node.keepalived",
            $"keepalived: VIP {vip.Address} (vrid {vip.Vrid}, {(vip.Master ? "master" : "backup")}) with {(vip.Peers.Count == 0 ? "no peers" : string.Join(", ", vip.Peers))}",
            unit.Name,
            [
                new ManagedFile(KeepalivedConfig.Path, async (c, t) => KeepalivedConfig.Render(vip,
                    await VipInterface.ResolveAsync(c, "vip_interface", vip.Interface, vip.Self, t)), KeepalivedConfig.Spec),
                unit.File(),
            ],
            (c, t) => c.Machine.Health.WaitForCommandAsync(unit.Name, ProcessSpec.Of("keepalived", "-t", "-f", KeepalivedConfig.Path), CommonSteps.HealthDeadline, t),
            reload: true);
    }

    /// <summary>
    /// node_exporter, healthy when its landing page answers. Not /metrics: that runs every collector, and on a starved node (three
    /// TCG guests on two cores) each scrape took longer than the probe's 30 s per attempt for the whole 300 s, so the HA run's
    /// replicas failed first boot with a node_exporter that worked. The infra node's scrapes show the metrics themselves.
    /// </summary>
    public static Step NodeExporter(NodeSettings settings) => CommonSteps.HttpService(
        "node.exporter",
        $"node_exporter on :{settings.NodeExporterPort}",
        NodeUnits.NodeExporter(settings.Address, settings.NodeExporterPort),
        settings.NodeExporterPort,
        "/",
        [],
        host: settings.Address);

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

using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>NODE and INFRA applied to a fake machine (real files under a temp root): what they change, and that a re-run changes nothing.</summary>
public sealed class InstallRunTests : IDisposable
{
    private static readonly string[] Repository =
    [
        "chrony", "haproxy", "prometheus-node-exporter", "nginx", "victoria-metrics", "prometheus-alertmanager",
        "prometheus-blackbox-exporter", "dnsmasq", "nftables",
    ];

    private readonly TempDirectory _root = new();
    private readonly FakeMachine _machine;
    private readonly StepContext _context;
    private string _hostname = "debian";

    public InstallRunTests()
    {
        _machine = new FakeMachine(_root.Path, Repository);
        _machine.Scripted.On(spec => spec.FileName == "hostname", Hostname);
        _context = new StepContext(TestNode.Create(_root.Path), _machine, NullLogger.Instance);
        _root.Write("etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm main\n");
        _root.Write("etc/apt/sources.list.d/debian.sources", "Types: deb\n");
        _root.Write("etc/apt/sources.list.d/keep.txt", "not a source\n");
        _root.Write("www/pigsty/pigsty.gpg", "the bundle's public key\n");
        _root.Write("usr/sbin/sshd", "");
    }

    public void Dispose() => _root.Dispose();

    /// <summary>hostname prints the name, or sets it when given one.</summary>
    private ProcessResult Hostname(ProcessSpec spec)
    {
        if (spec.Arguments is [var name])
        {
            _hostname = name;
            return ScriptedProcesses.Ok();
        }

        return ScriptedProcesses.Ok(_hostname + "\n");
    }

    private IReadOnlyList<Step> Steps() =>
        InstallPlan.Create(_context.Node, [new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors)]).Modules.SelectMany(m => m.Steps).ToList();

    private string PathOf(string nodePath) => Path.Join(_root.Path, nodePath);

    [Fact]
    public async Task First_run_converges_the_node_and_a_second_run_changes_nothing()
    {
        var applied = await StepRunner.RunAsync(Steps(), _context);

        // node.crontab only takes away timers an earlier run wrote: a new node without node_crontab gives it nothing to do.
        Assert.Equal(Steps().Select(s => s.Id).Where(id => id != "node.crontab"), applied);
        Assert.Equal("pg-meta-1", _hostname);
        Assert.Equal(1, _machine.FakePackages.Refreshes);
        Assert.False(File.Exists(PathOf("/etc/apt/sources.list")));
        Assert.True(File.Exists(PathOf("/etc/apt/backup/debian.sources")));
        Assert.True(File.Exists(PathOf("/etc/apt/sources.list.d/keep.txt")));
        Assert.Equal("deb [signed-by=/www/pigsty/pigsty.gpg] file:/www/pigsty ./\n", File.ReadAllLines(PathOf("/etc/apt/sources.list.d/pigsty.list"))[1] + "\n");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf(InfraSettings.CaKey)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf(InfraSettings.NginxKey)));
        // haproxy.cfg holds the admin password: root and the haproxy group only (the master reads it as root).
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(PathOf(HaproxyConfig.Path)));
        Assert.Contains("sysctl -e -q -p /etc/sysctl.d/90-pigsty.conf", _machine.Scripted.Calls);
        Assert.Contains("nft -f /etc/nftables.conf", _machine.Scripted.Calls);
        Assert.Contains("/usr/sbin/sshd -t -f /etc/ssh/sshd_config.d/.90-pigsty.conf.check", _machine.Scripted.Calls);
        Assert.True(File.Exists(PathOf(SshdConfig.Path)));
        Assert.False(File.Exists(PathOf(SshdConfig.CandidatePath)));
        // nftables.service is the package's unit, masked until the firewall step configures it: unmasked before it is enabled.
        Assert.InRange(_machine.FakeServices.Calls.IndexOf("unmask nftables.service"), 0, _machine.FakeServices.Calls.IndexOf("enable nftables.service"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(PathOf(PortalPasswords.Path)));
        Assert.StartsWith("admin:$6$", File.ReadAllLines(PathOf(PortalPasswords.Path))[1], StringComparison.Ordinal);
        Assert.Contains("nginx_admin_password", await File.ReadAllTextAsync(PathOf(NodeLayout.CredentialsFile)));
        Assert.Contains("nginx.service http://127.0.0.1/ca.crt", _machine.Probes);
        Assert.Contains("prometheus-node-exporter.service http://10.10.10.10:9100/", _machine.Probes);
        Assert.Equal(
            ["chrony.service", "dnsmasq.service", "haproxy.service", "nginx.service", "prometheus-alertmanager.service",
             "prometheus-blackbox-exporter.service", "prometheus-node-exporter.service", "victoria-metrics.service", "vmalert.service"],
            _machine.FakeServices.Active.Order(StringComparer.Ordinal));
        Assert.Contains("restart chrony.service", _machine.FakeServices.Calls);
        Assert.Contains("vmalert.service http://127.0.0.1:8880/-/healthy", _machine.Probes);
        Assert.Contains("chrony.service chronyc -n tracking", _machine.Probes);
        Assert.Contains("nginx.service 127.0.0.1:443", _machine.Probes);
        Assert.Contains("haproxy_admin_password", await File.ReadAllTextAsync(PathOf(NodeLayout.CredentialsFile)));
        Assert.True(File.Exists(PathOf("/etc/pigsty/targets/infra/10.10.10.10-vmetrics.yml")));
        Assert.True(File.Exists(PathOf("/etc/pigsty/targets/ping/10.10.10.10.yml")));
        Assert.True(File.Exists(PathOf("/etc/pigsty/targets/node/10.10.10.10.yml")));
        // The portal lists PGSQL's connection strings (the module's contribution), and none of the site's passwords.
        var portal = await File.ReadAllTextAsync(PathOf(PortalPage.Path));
        Assert.Contains("<code>psql &#39;postgres://dbuser_dba@10.10.10.10:5433/postgres&#39;</code>", portal, StringComparison.Ordinal);
        Assert.DoesNotContain("given-in-seed", portal, StringComparison.Ordinal);
        Assert.All(File.ReadAllLines(PathOf(NodeLayout.CredentialsFile)).Where(l => l.Contains(": ", StringComparison.Ordinal)),
            l => Assert.DoesNotContain(l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim('\'', '"'), portal, StringComparison.Ordinal));

        var calls = _machine.FakeServices.Calls.Count;
        var processes = _machine.Scripted.Calls.Count;
        var caKey = await File.ReadAllTextAsync(PathOf(InfraSettings.CaKey));

        Assert.Empty(await StepRunner.RunAsync(Steps(), _context));
        Assert.Equal(calls, _machine.FakeServices.Calls.Count);
        Assert.Equal(1, _machine.FakePackages.Refreshes);
        // A second run only reads: the hostname, whether the admin user exists and has its password, whether our firewall table is loaded.
        Assert.All(_machine.Scripted.Calls.Skip(processes), c => Assert.Contains(c, new[] { "hostname", "id --user dba", "passwd --status dba", "nft list table inet pigsty" }));
        Assert.Equal(caKey, await File.ReadAllTextAsync(PathOf(InfraSettings.CaKey)));
    }

    [Fact]
    public async Task A_node_other_than_the_admin_node_installs_from_the_bundle_on_its_own_disk_and_runs_node_only()
    {
        var context = _context with { Node = TestNode.Create(_root.Path, TestNode.TwoNodes, address: "10.10.10.11") };

        var applied = await StepRunner.RunAsync(
            InstallPlan.Create(context.Node, [new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors)]).Modules.SelectMany(m => m.Steps), context);

        Assert.All(applied, id => Assert.StartsWith("node.", id, StringComparison.Ordinal));
        Assert.DoesNotContain(_machine.Probes, p => p.Contains("repository", StringComparison.Ordinal));
        Assert.Equal("deb [signed-by=/www/pigsty/pigsty.gpg] file:/www/pigsty ./", File.ReadAllLines(PathOf("/etc/apt/sources.list.d/pigsty.list"))[1]);
        Assert.Equal("pg-meta-2", _hostname);
    }

    [Fact]
    public async Task An_unsigned_bundle_stops_node_repo_before_any_apt_source_is_written()
    {
        File.Delete(PathOf("/www/pigsty/pigsty.gpg"));

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(Steps(), _context));

        Assert.Equal("node.repo", error.Step);
        Assert.StartsWith("/www/pigsty/pigsty.gpg is missing: the bundle is not signed", error.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("/etc/apt/sources.list.d/pigsty.list")));
        Assert.True(File.Exists(PathOf("/etc/apt/sources.list")));
    }

    [Fact]
    public async Task A_lost_server_certificate_is_issued_again_from_the_same_ca()
    {
        await StepRunner.RunAsync(Steps(), _context);
        var ca = await File.ReadAllTextAsync(PathOf(InfraSettings.CaCertificate));
        File.Delete(PathOf(InfraSettings.NginxCertificate));

        var applied = await StepRunner.RunAsync(Steps(), _context);

        Assert.Equal(["infra.cert"], applied);
        Assert.Equal(ca, await File.ReadAllTextAsync(PathOf(InfraSettings.CaCertificate)));
    }

    [Fact]
    public async Task A_ca_certificate_without_its_key_is_never_replaced()
    {
        await StepRunner.RunAsync(Steps(), _context);
        var ca = await File.ReadAllTextAsync(PathOf(InfraSettings.CaCertificate));
        File.Delete(PathOf(InfraSettings.CaKey));

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(Steps(), _context));

        Assert.Equal("infra.ca", error.Step);
        Assert.Contains("the CA is never regenerated", error.Reason, StringComparison.Ordinal);
        Assert.Equal(ca, await File.ReadAllTextAsync(PathOf(InfraSettings.CaCertificate)));
    }

    [Fact]
    public async Task A_changed_inventory_restarts_only_what_it_touches()
    {
        await StepRunner.RunAsync(Steps(), _context);
        _machine.FakeServices.Calls.Clear();
        var changed = TestNode.SingleNode.Replace("pg_admin_password: given-in-seed",
            "pg_admin_password: given-in-seed\n    vmetrics_retention: 30d", StringComparison.Ordinal);
        var context = _context with { Node = TestNode.Create(_root.Path, changed) };

        var applied = await StepRunner.RunAsync(
            InstallPlan.Create(context.Node, [new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors)]).Modules.SelectMany(m => m.Steps), context);

        // The retention is a flag in the unit: INFRA's units step rewrites it (one reload), and only VictoriaMetrics restarts for it.
        Assert.Equal(["infra.units", "infra.vmetrics"], applied);
        Assert.Equal(["daemon-reload", "enable victoria-metrics.service", "restart victoria-metrics.service"], _machine.FakeServices.Calls);
    }
}

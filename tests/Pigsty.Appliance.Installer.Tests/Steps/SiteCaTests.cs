using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Installer.Tests.Modules;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Steps;

/// <summary>
/// Only the admin node holds the site CA's key and issues certificates; any other node uses a certificate issued for it (site
/// material under /etc/pki), and without one its plan fails naming the files: it never makes a CA of its own.
/// </summary>
public sealed class SiteCaTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private InstallPlan Plan(string address) =>
        InstallPlan.Create(ModuleNodes.Create(_root.Path, ModuleNodes.Sample("three-node-ha.yml"), address),
            [new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors), new EtcdModule(), new PgsqlModule(new FixedResources())]);

    [Fact]
    public void A_node_other_than_the_admin_node_without_its_certificates_fails_at_plan_time_naming_them()
    {
        var error = Assert.Throws<InputException>(() => Plan("10.10.10.11"));

        var message = error.Message;
        Assert.Contains("only the admin node (10.10.10.10) holds the site CA and issues certificates", message, StringComparison.Ordinal);
        foreach (var file in new[] { "/etc/pki/ca.crt", "/etc/pki/nginx.crt", "/etc/pki/nginx.key", "/etc/pki/etcd.crt", "/etc/pki/etcd.key", "/etc/pki/pgsql.crt", "/etc/pki/pgsql.key" })
        {
            Assert.Contains(file, message, StringComparison.Ordinal);
        }

        Assert.All(error.Problems, p => Assert.Equal("all.children.infra.hosts[10.10.10.11]", p.Field));
        Assert.False(Directory.Exists(Path.Join(_root.Path, NodePaths.Pki)));
    }

    [Fact]
    public async Task With_its_site_material_a_node_installs_the_certificates_issued_for_it_and_never_holds_the_ca_key()
    {
        var ca = CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow);
        ModuleNodes.WriteSiteMaterial(_root.Path, ca, "10.10.10.11", ("nginx", "i.pigsty", ["i.pigsty", "pg-meta-2", "localhost"]),
            ("etcd", "etcd-2", ["etcd-2", "localhost"]), ("pgsql", "pg-meta-2", ["pg-meta-2", "pg-meta", "localhost"]));
        var plan = Plan("10.10.10.11");
        var context = ModuleNodes.Context(plan.Node, new FakeMachine(_root.Path));
        var steps = plan.Modules.SelectMany(m => m.Steps).ToList();

        Assert.DoesNotContain(steps, s => s.Id == "infra.ca");
        Assert.Equal("certificate etcd-2 from the site material (/etc/pki/etcd.crt)", steps.Single(s => s.Id == "etcd.certificate").Title);
        foreach (var id in new[] { "infra.cert", "etcd.certificate", "pgsql.certificate" })
        {
            Assert.True(await StepRunner.RunAsync(steps.Single(s => s.Id == id), context), id);
            Assert.False(await StepRunner.RunAsync(steps.Single(s => s.Id == id), context), id);
        }

        Assert.Equal(await File.ReadAllTextAsync(Path.Join(_root.Path, "/etc/pki/etcd.crt")), await File.ReadAllTextAsync(Path.Join(_root.Path, EtcdSettings.CertificatePath)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(_root.Path, EtcdSettings.KeyPath)));
        Assert.Equal(ca.CertificatePem, await File.ReadAllTextAsync(Path.Join(_root.Path, "/pg/cert/ca.crt")));
        Assert.Empty(Directory.EnumerateFiles(_root.Path, "ca.key", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_certificate_the_site_ca_did_not_issue_is_refused_naming_the_file()
    {
        ModuleNodes.WriteSiteMaterial(_root.Path, CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow), "10.10.10.11",
            ("nginx", "i.pigsty", ["i.pigsty"]), ("etcd", "etcd-2", ["etcd-2", "localhost"]), ("pgsql", "pg-meta-2", ["pg-meta-2"]));
        var foreign = CertificateAuthority.CreateRoot("other", DateTimeOffset.UtcNow);
        var other = CertificateAuthority.Load(foreign.CertificatePem, foreign.PrivateKeyPem).Issue("etcd-2", ["etcd-2", "localhost"], [IPAddress.Parse("10.10.10.11"), IPAddress.Loopback], DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Join(_root.Path, "/etc/pki/etcd.crt"), other.CertificatePem);
        await File.WriteAllTextAsync(Path.Join(_root.Path, "/etc/pki/etcd.key"), other.PrivateKeyPem);
        var plan = Plan("10.10.10.11");
        var step = plan.Modules.SelectMany(m => m.Steps).Single(s => s.Id == "etcd.certificate");

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, ModuleNodes.Context(plan.Node, new FakeMachine(_root.Path))));

        Assert.Contains("/etc/pki/etcd.crt is not a certificate from the site CA (/etc/pki/ca.crt) for etcd-2", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(_root.Path, EtcdSettings.CertificatePath)));
    }

    [Fact]
    public void A_node_other_than_the_admin_node_that_holds_the_ca_key_is_refused()
    {
        ModuleNodes.WriteCa(_root.Path);

        var error = Assert.Throws<InputException>(() => Plan("10.10.10.12"));

        Assert.Contains(error.Problems, p => p.Message.StartsWith(
            "this node holds the site CA's private key /etc/pki/ca.key but is not the admin node (10.10.10.10)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_the_admin_node_the_ca_key_is_root_only_and_a_loosened_mode_is_put_back_without_a_new_ca()
    {
        var context = ModuleNodes.Context(TestNode.Create(_root.Path), new FakeMachine(_root.Path));
        var ca = InstallPlan.Create(context.Node, [new InfraModule(TimeProvider.System, InstallModules.Descriptors)]).Modules.SelectMany(m => m.Steps).Single(s => s.Id == "infra.ca");
        Assert.True(await StepRunner.RunAsync(ca, context));
        var key = Path.Join(_root.Path, InfraSettings.CaKey);
        var before = await File.ReadAllTextAsync(key);
        File.SetUnixFileMode(key, (UnixFileMode)0b110_100_100);

        Assert.True(await StepRunner.RunAsync(ca, context));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(before, await File.ReadAllTextAsync(key));
    }
}

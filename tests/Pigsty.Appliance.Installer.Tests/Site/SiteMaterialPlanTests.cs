using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Installer.Tests.Modules;
using Pigsty.Appliance.Installer.Tests.Modules.Minio;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Site;

/// <summary>
/// A three-node site planned per host with the material <c>pigsty-appliance site</c> made: every node plans (no certificate or
/// shared secret missing), installs the certificates issued for it, and no node, the admin node included, issues or holds the CA key.
/// </summary>
public sealed class SiteMaterialPlanTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IModule[] Modules() =>
    [
        new NodeModule(InstallModules.Descriptors), new InfraModule(TimeProvider.System, InstallModules.Descriptors), new EtcdModule(), new MinioModule(),
        new PgsqlModule(new FixedResources()),
    ];

    /// <summary>The node's plan after first boot took its seed's site material into <paramref name="root"/>.</summary>
    private static async Task<InstallPlan> PlanAsync(SiteResult site, string address, string root, string volume)
    {
        await SiteImport.ImportAsync(new LocalFileSystem(ProcessRunner.Silent, root), SiteFixture.Volume(site, address, volume), CancellationToken.None);
        return InstallPlan.Create(ModuleNodes.Create(root, SiteFixture.Trio, address, MinioFixture.Bundle), Modules());
    }

    [Theory]
    [InlineData("10.10.10.10")]
    [InlineData("10.10.10.11")]
    [InlineData("10.10.10.12")]
    public async Task Every_node_of_the_site_plans_with_its_material_and_installs_rather_than_issues(string address)
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));

        var plan = await PlanAsync(site, address, _temp.File("root"), _temp.File("volume"));

        var steps = plan.Modules.SelectMany(m => m.Steps).ToList();
        Assert.DoesNotContain(steps, s => s.Id == "infra.ca");
        foreach (var (id, service) in new[] { ("infra.cert", "nginx"), ("etcd.certificate", "etcd"), ("minio.certificate", "minio"), ("pgsql.certificate", "pgsql") })
        {
            Assert.EndsWith($"from the site material (/etc/pki/{service}.crt)", steps.Single(s => s.Id == id).Title, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_node_with_postgresql_only_plans_with_its_one_certificate_and_no_etcd_or_minio_secret()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));

        var plan = await PlanAsync(site, "10.10.10.13", _temp.File("root"), _temp.File("volume"));

        Assert.Equal(["pgsql.certificate"], plan.Modules.SelectMany(m => m.Steps).Where(s => s.Id.EndsWith(".certificate", StringComparison.Ordinal) || s.Id == "infra.cert").Select(s => s.Id));
        Assert.Equal(["pgsql.crt", "pgsql.key"], Directory.GetFiles(_temp.File("root/etc/pki")).Select(Path.GetFileName).Where(f => f != "ca.crt").Order(StringComparer.Ordinal));
        Assert.False(plan.Node.Material.HasSecret(EtcdSettings.RootPasswordName));
        Assert.True(plan.Node.Material.HasSecret("pg_etcd_pg-test_password"));
    }

    [Fact]
    public void The_site_is_planned_for_the_release_it_is_given_and_any_pg_version_the_inventory_names()
    {
        var inventory = InventoryLoader.Parse(SiteFixture.Trio, "pigsty.yml");
        var pinned = InventoryLoader.Parse(SiteFixture.Trio.Replace("{ pg_cluster: pg-test }", "{ pg_cluster: pg-test, pg_version: 15 }", StringComparison.Ordinal), "pigsty.yml");

        var d13 = SiteDirectory.AssumedBundle(inventory, TargetPlatform.Debian13);
        var d12 = SiteDirectory.AssumedBundle(inventory, TargetPlatform.Debian12);

        Assert.Same(TargetPlatform.Debian13, d13.Platform);
        Assert.Equal([17], PgPackages.Majors(d13));
        Assert.Same(TargetPlatform.Debian12, d12.Platform);
        Assert.Equal([15], PgPackages.Majors(d12));
        Assert.Equal([17, 15], PgPackages.Majors(SiteDirectory.AssumedBundle(pinned, TargetPlatform.Debian13)));
    }

    [Fact]
    public void Without_the_material_the_same_site_fails_on_a_node_other_than_the_admin_node()
    {
        var error = Assert.Throws<Core.Errors.InputException>(() =>
            InstallPlan.Create(ModuleNodes.Create(_temp.File("root"), SiteFixture.Trio, "10.10.10.11", MinioFixture.Bundle), Modules()));

        Assert.Contains("needs a certificate from the site CA", error.Message, StringComparison.Ordinal);
        Assert.Contains("etcd_root_password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_node_with_material_installs_its_certificates_holds_no_ca_key_and_hands_out_the_sites_secrets()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));
        var root = _temp.File("root");
        var plan = await PlanAsync(site, "10.10.10.10", root, _temp.File("volume"));
        var context = ModuleNodes.Context(plan.Node, new FakeMachine(root));
        var steps = plan.Modules.SelectMany(m => m.Steps).ToList();

        // nginx reads its pair where the import put it (/etc/pki/nginx.*): nothing left to do; the others copy theirs to their service.
        Assert.False(await StepRunner.RunAsync(steps.Single(s => s.Id == "infra.cert"), context));
        foreach (var id in new[] { "etcd.certificate", "minio.certificate", "pgsql.certificate" })
        {
            Assert.True(await StepRunner.RunAsync(steps.Single(s => s.Id == id), context), id);
        }

        Assert.True(plan.Node.IsAdmin);
        Assert.False(plan.Node.Issues);
        Assert.Empty(Directory.EnumerateFiles(root, "ca.key", SearchOption.AllDirectories));
        Assert.Equal(await File.ReadAllTextAsync(_temp.File("site/ca.crt")), await File.ReadAllTextAsync(Path.Join(root, "etc/pki/ca.crt")));
        Assert.Equal(await File.ReadAllTextAsync(_temp.File("site/nodes/10.10.10.10/etcd.crt")), await File.ReadAllTextAsync(Path.Join(root, EtcdSettings.CertificatePath)));

        var credentials = Path.Join(root, NodeLayout.CredentialsFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        var siteSecrets = Installer.Node.Credentials.Parse(await File.ReadAllTextAsync(_temp.File("site/secrets.yml")), "secrets.yml");
        Assert.Equal(siteSecrets[EtcdSettings.RootPasswordName], await plan.Node.Credentials.GetAsync(EtcdSettings.RootPasswordName, CancellationToken.None));
        Assert.Equal(siteSecrets["pg_etcd_pg-meta_password"], await plan.Node.Credentials.GetAsync("pg_etcd_pg-meta_password", CancellationToken.None));
        Assert.Contains("secrets: [", await File.ReadAllTextAsync(Path.Join(root, NodeLayout.SiteManifest)), StringComparison.Ordinal);
        Assert.DoesNotContain(siteSecrets[EtcdSettings.RootPasswordName], await File.ReadAllTextAsync(Path.Join(root, NodeLayout.SiteManifest)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_node_with_site_material_that_still_holds_a_ca_key_is_refused()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));
        var root = _temp.File("root");
        await SiteImport.ImportAsync(new LocalFileSystem(ProcessRunner.Silent, root), SiteFixture.Volume(site, "10.10.10.10", _temp.File("volume")), CancellationToken.None);
        File.Copy(_temp.File("site/ca.key"), Path.Join(root, "etc/pki/ca.key"));

        var error = Assert.Throws<Core.Errors.InputException>(() =>
            InstallPlan.Create(ModuleNodes.Create(root, SiteFixture.Trio, "10.10.10.10", MinioFixture.Bundle), Modules()));

        Assert.Contains("its certificates come from the site material (pigsty-appliance site), whose CA key stays in the site directory", error.Message, StringComparison.Ordinal);
    }
}

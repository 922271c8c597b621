using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Site;

/// <summary>
/// First boot from a site seed volume on a network with no DHCP: the node takes its static address and identity from the seed,
/// installs its material, and after a successful install the volume keeps no key and no secret (the write-back says which went).
/// </summary>
public sealed class SiteFirstBootTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_node_identifies_itself_from_its_seed_takes_its_static_address_imports_its_material_and_the_volume_is_wiped_after()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"), prefix: 24);
        var volume = SiteFixture.Volume(site, "10.10.10.11", _temp.File("seed"));
        var siteSecrets = Credentials.Parse(await File.ReadAllTextAsync(Path.Join(volume, "site/secrets.yml")), "secrets.yml");
        var machine = new FakeMachine(_temp.File("root"));

        // No DHCP: the NIC has no IPv4 address until networkd applies the seed's static one.
        var nic = new WiredNic("ens3", "52:54:00:00:00:0b");
        var network = new NodeNetwork(() => [nic], () => machine.Scripted.Calls.Contains("networkctl reconfigure ens3") ? [("ens3", IPAddress.Parse("10.10.10.11"))] : []);

        var result = await Installer(machine, network).RunAsync(
            new InstallOptions(null, null, false, false) { RepoDirectory = Repo() }, CancellationToken.None);

        Assert.True(result.NothingChanged);
        var root = _temp.File("root");
        Assert.Contains("Address=10.10.10.11/24\nGateway=10.10.10.1\n", await File.ReadAllTextAsync(Path.Join(root, NodeLayout.StaticNetwork)), StringComparison.Ordinal);
        Assert.Equal(["networkctl reload", "networkctl reconfigure ens3"], machine.Scripted.Calls.Where(c => c.StartsWith("networkctl", StringComparison.Ordinal)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(root, "etc/pki/etcd.key")));
        Assert.Equal(await File.ReadAllTextAsync(_temp.File("site/nodes/10.10.10.11/etcd.key")), await File.ReadAllTextAsync(Path.Join(root, "etc/pki/etcd.key")));
        Assert.False(File.Exists(Path.Join(root, "etc/pki/ca.key")));
        var credentials = Credentials.Parse(await File.ReadAllTextAsync(Path.Join(root, NodeLayout.CredentialsFile)), "credentials.yml");
        Assert.Equal(siteSecrets, credentials);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(root, NodeLayout.CredentialsFile)));

        // The node is 10.10.10.11 though none of its addresses said so before the seed's network was applied.
        var written = await File.ReadAllTextAsync(Path.Join(volume, SeedMedia.StatusWriteBack));
        Assert.Contains("\"node\": \"10.10.10.11\"", written, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"done\"", written, StringComparison.Ordinal);

        // Keys and secrets are gone from the volume; the public part stays, and the write-back names what went.
        Assert.Equal(["ca.crt", "etcd.crt", "minio.crt", "nginx.crt", "node.yml", "pgsql.crt"],
            Directory.GetFiles(Path.Join(volume, "site")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Join(volume, SeedMedia.InventoryName)));
        Assert.Contains("\"seed_wiped\": [\n    \"site/etcd.key\",\n    \"site/minio.key\",\n    \"site/nginx.key\",\n    \"site/pgsql.key\",\n    \"site/secrets.yml\"\n  ]",
            written, StringComparison.Ordinal);

        // A later run (the volume wiped) keeps what the node holds.
        File.Delete(Path.Join(root, NodeLayout.FirstBootDone));
        await Installer(machine, network).RunAsync(new InstallOptions(null, null, false, false) { RepoDirectory = Repo() }, CancellationToken.None);
        Assert.Equal(credentials, Credentials.Parse(await File.ReadAllTextAsync(Path.Join(root, NodeLayout.CredentialsFile)), "credentials.yml"));
        Assert.True(File.Exists(Path.Join(root, "etc/pki/etcd.key")));
    }

    [Fact]
    public async Task A_failed_install_leaves_the_material_on_the_volume_for_the_next_boot()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));
        var volume = SiteFixture.Volume(site, "10.10.10.12", _temp.File("seed"));
        await File.WriteAllTextAsync(Path.Join(volume, "site/node.yml"), "address: 10.10.10.99\n");
        var machine = new FakeMachine(_temp.File("root"));

        var error = await Assert.ThrowsAsync<Core.Errors.InputException>(() => Installer(machine, new NodeNetwork(() => [], () => [])).RunAsync(
            new InstallOptions(null, null, false, false) { RepoDirectory = Repo() }, CancellationToken.None));

        Assert.EndsWith("node 10.10.10.99 is not a host of the inventory (named by the seed's site/node.yml: the seed was written for another inventory)",
            error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(volume, "site/secrets.yml")));
        Assert.True(File.Exists(Path.Join(volume, "site/etcd.key")));
        Assert.DoesNotContain("seed_wiped", await File.ReadAllTextAsync(Path.Join(volume, SeedMedia.StatusWriteBack)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_without_site_material_waits_for_its_dhcp_address_before_it_identifies_itself()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));
        var volume = SiteFixture.Volume(site, "10.10.10.12", _temp.File("seed"));
        Directory.Delete(Path.Join(volume, "site"), recursive: true);
        var polls = 0;
        var network = new NodeNetwork(() => [], () => ++polls < 4 ? [] : [("ens3", IPAddress.Parse("10.10.10.12"))]);

        // Without the wait it would identify itself from no address at all: "none of this node's addresses (none) is a host…".
        await Installer(new FakeMachine(_temp.File("root")), network).RunAsync(
            new InstallOptions(null, null, false, false) { RepoDirectory = Repo() }, CancellationToken.None);

        Assert.True(polls >= 4, $"polled {polls} times");
    }

    [Fact]
    public async Task A_seed_directory_from_deploy_is_taken_like_a_volume_but_never_mounted()
    {
        var site = await SiteFixture.WriteAsync(_temp.File("site"));
        var directory = SiteFixture.Volume(site, "10.10.10.12", _temp.File("pushed"));
        var machine = new FakeMachine(_temp.File("root"));
        var locator = new ScriptedProcesses();

        var result = await Installer(machine, new NodeNetwork(() => [], () => []), locator).RunAsync(
            new InstallOptions(null, null, false, false) { RepoDirectory = Repo(), SeedDirectory = directory }, CancellationToken.None);

        Assert.True(result.NothingChanged);
        Assert.Empty(locator.Calls);
        Assert.Contains("\"node\": \"10.10.10.12\"", await File.ReadAllTextAsync(Path.Join(directory, SeedMedia.StatusWriteBack)), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(directory, "site/secrets.yml")));
        Assert.True(File.Exists(Path.Join(_temp.File("root"), "etc/pki/etcd.key")));

        var missing = await Assert.ThrowsAsync<Core.Errors.InputException>(() => Installer(machine, new NodeNetwork(() => [], () => [])).RunAsync(
            new InstallOptions(null, null, false, false) { RepoDirectory = Repo(), SeedDirectory = _temp.File("nothing") }, CancellationToken.None));
        Assert.EndsWith("the seed directory has no pigsty.yml", missing.Message, StringComparison.Ordinal);
    }

    private NodeInstaller Installer(FakeMachine machine, NodeNetwork network, ScriptedProcesses? locatorProcesses = null) =>
        FirstBootSetup.Installer(_temp, machine, locatorProcesses ?? Vfat(), network: network);

    // The seed volume is FAT, as blkid probes it.
    private static ScriptedProcesses Vfat()
    {
        var mounted = new ScriptedProcesses();
        mounted.On(spec => spec.FileName == "blkid", _ => ScriptedProcesses.Ok("vfat\n"));
        return mounted;
    }

    private string Repo() => BundleRepo.Write(_temp);
}

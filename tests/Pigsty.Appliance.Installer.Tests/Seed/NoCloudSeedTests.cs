using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Seed;

/// <summary>
/// Real NoCloud seeds, made with cloud-localds and genisoimage as a cloud-init user makes them, found by the locator: blkid probes the
/// real image behind the by-label link, and the "mount" (root-only, so scripted here) is the image's files read out with isoinfo or mtools.
/// </summary>
public sealed class NoCloudSeedTests : IDisposable
{
    private static readonly string UserData = "#cloud-config\n# the inventory is Pigsty's all: mapping under pigsty:\npigsty:\n"
        + string.Join('\n', TestNode.SingleNode.Split('\n').Select(l => "  " + l)) + "\n";

    private readonly TempDirectory _temp = new();
    private readonly ScriptedProcesses _processes = new();
    private readonly SeedLocations _locations;

    public NoCloudSeedTests()
    {
        Directory.CreateDirectory(_temp.File("by-label"));
        _locations = new SeedLocations
        {
            ByLabel = _temp.File("by-label"),
            MountPoint = _temp.File("mnt"),
            SysBlock = _temp.File("sys-block"),
            KernelCommandLine = _temp.Write("cmdline", "root=x\n"),
            Embedded = _temp.Write("default.yml", TestNode.SingleNode),
            Carried = _temp.File("carried"),
        };

        // blkid is real: it reads the image the by-label link points at; mountpoint -q says nothing is mounted yet.
        _processes.On(s => s.FileName == "blkid", s => RealTool.RunAsync("blkid", [.. s.Arguments]).GetAwaiter().GetResult());
        _processes.On(s => s.FileName == "mountpoint", _ => ScriptedProcesses.Fail(1, ""));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_cloud_localds_iso_gives_the_inventory_from_user_data_and_the_identity_from_meta_data()
    {
        var iso = await CloudLocaldsAsync("seed.iso", UserData, "--hostname=pg-appliance-1");
        var device = await AttachAsync(iso, "cidata");

        var seed = await LocateAsync();

        Assert.Contains($"mount -t iso9660 -o ro,noexec,nodev,nosuid,uid=0,gid=0,mode=0400,dmode=0500,overriderockperm {device} {_locations.MountPoint}", _processes.Lines);
        Assert.Equal(SeedKind.Volume, seed.Kind);
        Assert.Equal(Path.Join(_locations.MountPoint, "user-data"), seed.InventoryPath);
        Assert.Equal("pigsty", seed.InventoryKey);
        Assert.Equal("the seed volume is ISO 9660, read-only media", seed.ReadOnly);
        Assert.Equal(new NoCloudMetaData("iid-local01", "pg-appliance-1"), seed.MetaData);
        Assert.Null(seed.Network);
        Assert.EndsWith("user-data pigsty:", seed.Description, StringComparison.Ordinal);

        var inventory = await SeedLoader.LoadAsync(seed, IPAddress.Parse("10.0.2.15"), CancellationToken.None);
        var host = Assert.Single(inventory.Hosts);
        Assert.Equal("10.10.10.10", host.Address.ToString());
        Assert.Equal("given-in-seed", host.Vars.Find("pg_admin_password")?.AsString());
    }

    [Fact]
    public async Task A_genisoimage_seed_with_meta_data_and_a_static_network_config_maps_onto_the_static_addressing()
    {
        var files = Directory.CreateDirectory(_temp.File("files")).FullName;
        await File.WriteAllTextAsync(Path.Join(files, "user-data"), UserData);
        await File.WriteAllTextAsync(Path.Join(files, "meta-data"), "instance-id: pigsty-0042\nlocal-hostname: meta\n");
        await File.WriteAllTextAsync(Path.Join(files, "network-config"), """
            network:
              version: 2
              ethernets:
                lan:
                  match: { macaddress: "52:54:00:AB:CD:EF" }
                  dhcp4: false
                  addresses: [10.10.10.10/24]
                  routes: [{ to: default, via: 10.10.10.1 }]
                  nameservers: { addresses: [10.10.10.1, 10.10.10.2] }
            """);
        var iso = _temp.File("seed.iso");
        await RealTool.CheckAsync("genisoimage", "-quiet", "-output", iso, "-V", "cidata", "-J", "-r",
            Path.Join(files, "user-data"), Path.Join(files, "meta-data"), Path.Join(files, "network-config"));
        await AttachAsync(iso, "cidata");

        var seed = await LocateAsync();

        Assert.Equal(new NoCloudMetaData("pigsty-0042", "meta"), seed.MetaData);
        var network = Assert.IsType<SiteNode>(seed.Network);
        Assert.Equal("10.10.10.10", network.Address.ToString());
        Assert.Equal(24, network.Prefix);
        Assert.Equal("10.10.10.1", network.Gateway?.ToString());
        Assert.Equal(["10.10.10.1", "10.10.10.2"], network.DnsServers.Select(d => d.ToString()));
        Assert.Equal("52:54:00:ab:cd:ef", network.Mac);

        // The same static file the site material's addressing writes.
        Assert.Equal("# written by pigsty-appliance from the seed's site material: this node's inventory address, static (no DHCP)\n"
            + "[Match]\nMACAddress=52:54:00:ab:cd:ef\n\n[Network]\nAddress=10.10.10.10/24\nGateway=10.10.10.1\nDNS=10.10.10.1\nDNS=10.10.10.2\nDHCP=no\nIPv6AcceptRA=no\n",
            StaticNetwork.Render(network, new WiredNic("ens3", "52:54:00:ab:cd:ef")));
    }

    [Fact]
    public async Task A_vfat_seed_from_cloud_localds_is_writable_unless_its_device_is_read_only()
    {
        var image = await CloudLocaldsAsync("seed.img", UserData, "--filesystem=vfat");
        var device = await AttachAsync(image, "cidata");

        var seed = await LocateAsync();

        Assert.Contains($"mount -t vfat -o ro,noexec,nodev,nosuid,umask=077 {device} {_locations.MountPoint}", _processes.Lines);
        Assert.Null(seed.ReadOnly);
        Assert.Equal("pigsty", seed.InventoryKey);

        // The same image on a drive attached read-only: the kernel's ro flag for the device the label points at.
        _temp.Write("sys-block/seed.img/ro", "1\n");
        Assert.Equal("the seed device seed.img is read-only", (await LocateAsync()).ReadOnly);
    }

    [Fact]
    public async Task A_plain_pigsty_yml_on_an_iso_keeps_working_and_wins_over_user_data()
    {
        var files = Directory.CreateDirectory(_temp.File("files")).FullName;
        await File.WriteAllTextAsync(Path.Join(files, "pigsty.yml"), TestNode.SingleNode);
        await File.WriteAllTextAsync(Path.Join(files, "user-data"), "#cloud-config\npackages: [htop]\n");
        var iso = _temp.File("seed.iso");
        await RealTool.CheckAsync("genisoimage", "-quiet", "-output", iso, "-V", "CIDATA", "-J", "-r", Path.Join(files, "pigsty.yml"), Path.Join(files, "user-data"));
        await AttachAsync(iso, "CIDATA");

        var seed = await LocateAsync();

        Assert.Equal(Path.Join(_locations.MountPoint, "pigsty.yml"), seed.InventoryPath);
        Assert.Null(seed.InventoryKey);
        Assert.Equal(NoCloudMetaData.None, seed.MetaData);
        Assert.Single((await SeedLoader.LoadAsync(seed, null, CancellationToken.None)).Hosts);
    }

    [Theory]
    [InlineData("#!/bin/sh\necho hello\n", "user-data is not a #cloud-config (its first line is '#!/bin/sh')")]
    [InlineData("", "user-data is not a #cloud-config (its first line is empty)")]
    [InlineData("#cloud-config\npackages: [htop]\n", "the #cloud-config user-data has no 'pigsty:' key")]
    public async Task A_user_data_without_the_inventory_is_an_error_naming_the_file(string userData, string expected)
    {
        await AttachAsync(await CloudLocaldsAsync("seed.iso", userData), "cidata");

        var seed = await LocateAsync();
        var error = await Assert.ThrowsAsync<InputException>(() => SeedLoader.LoadAsync(seed, null, CancellationToken.None));

        Assert.StartsWith($"{Path.Join(_locations.MountPoint, "user-data")}: {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_inventory_under_pigsty_names_the_user_data_line_and_field()
    {
        await AttachAsync(await CloudLocaldsAsync("seed.iso", UserData.Replace("pg_seq: 1", "pg_seq: one", StringComparison.Ordinal)), "cidata");

        var error = await Assert.ThrowsAsync<InputException>(async () => await SeedLoader.LoadAsync(await LocateAsync(), null, CancellationToken.None));

        Assert.Equal($"{Path.Join(_locations.MountPoint, "user-data")}:8:50: pigsty.all.children.pg-meta.hosts[10.10.10.10].pg_seq: expected an integer, got 'one'",
            error.Message);
    }

    [Fact]
    public async Task A_volume_with_neither_inventory_nor_user_data_is_an_error_naming_it()
    {
        var files = Directory.CreateDirectory(_temp.File("files")).FullName;
        await File.WriteAllTextAsync(Path.Join(files, "meta-data"), "instance-id: x\n");
        var iso = _temp.File("seed.iso");
        await RealTool.CheckAsync("genisoimage", "-quiet", "-output", iso, "-V", "cidata", "-r", Path.Join(files, "meta-data"));
        var device = await AttachAsync(iso, "cidata");

        var error = await Assert.ThrowsAsync<InputException>(LocateAsync);

        Assert.Equal($"{device} (label cidata): the seed volume has neither pigsty.yml nor a NoCloud user-data at its root", error.Message);
    }

    [Fact]
    public async Task A_volume_that_is_neither_fat_nor_iso9660_is_an_error_naming_the_device()
    {
        var image = _temp.File("seed.ext4");
        await RealTool.CheckAsync("mke2fs", "-q", "-t", "ext4", "-L", "cidata", image, "1M");
        var device = Path.Join(_locations.ByLabel, "cidata");
        File.CreateSymbolicLink(device, image);

        var error = await Assert.ThrowsAsync<InputException>(LocateAsync);

        Assert.Equal($"{device}: seed volume cidata holds ext4: a seed volume is FAT (vfat) or ISO 9660", error.Message);
        Assert.DoesNotContain(_processes.Lines, l => l.StartsWith("mount ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("instance-id: a\nlocal-hostname: not_a_host\n", "meta-data:2:17: local-hostname: 'not_a_host' is not a host name")]
    [InlineData("[a, b]\n", "meta-data:1:1: meta-data must be a mapping (instance-id, local-hostname), got a list")]
    public void Malformed_meta_data_is_an_error_naming_the_file_and_field(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => NoCloudMetaData.Parse(text, "meta-data"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_meta_data_says_nothing()
    {
        Assert.Equal(NoCloudMetaData.None, NoCloudMetaData.Parse("", "meta-data"));
    }

    [Fact]
    public void A_network_config_on_dhcp_keeps_dhcp_and_gateway4_is_read_like_a_default_route()
    {
        Assert.Null(NoCloudNetwork.Parse("version: 2\nethernets:\n  eth0: { dhcp4: true }\n", "network-config"));

        var node = NoCloudNetwork.Parse("version: 2\nethernets:\n  eth0:\n    addresses: [192.168.1.5/24]\n    gateway4: 192.168.1.1\n", "network-config");

        Assert.NotNull(node);
        Assert.Equal(("192.168.1.5", 24, "192.168.1.1", 0, (string?)null),
            (node.Address.ToString(), node.Prefix, node.Gateway?.ToString(), node.DnsServers.Count, node.Mac));
    }

    [Theory]
    [InlineData("version: 1\nconfig: []\n", "network-config:1:10: version: version 1 is not read: only network-config version 2 (ethernets) is")]
    [InlineData("version: 2\nbonds: {}\n", "network-config:2:8: bonds: 'bonds' is not supported")]
    [InlineData("version: 2\nethernets:\n  a: { addresses: [10.0.0.1/24, 10.0.0.2/24] }\n", "network-config:3:6: ethernets.a: 2 static addresses (10.0.0.1/24 on a, 10.0.0.2/24 on a)")]
    [InlineData("version: 2\nethernets:\n  a: { addresses: [fd00::1/64] }\n", "network-config:3:20: ethernets.a.addresses[0]: fd00::1 is not an IPv4 address")]
    [InlineData("version: 2\nethernets:\n  a: { addresses: [10.0.0.1] }\n", "network-config:3:20: ethernets.a.addresses[0]: '10.0.0.1' is not an address with its prefix")]
    [InlineData("version: 2\nethernets:\n  a: { addresses: [10.0.0.1/24], routes: [{ to: 10.1.0.0/16, via: 10.0.0.9 }] }\n",
        "network-config:3:43: ethernets.a.routes[0]: route to '10.1.0.0/16' is not supported")]
    [InlineData("version: 2\nethernets:\n  a: { addresses: [10.0.0.1/24], gateway4: 10.9.0.1 }\n", "network-config ethernets.a: gateway 10.9.0.1 is not another address of 10.0.0.1/24's subnet")]
    public void A_network_config_that_cannot_be_honoured_is_an_error_naming_the_field(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => NoCloudNetwork.Parse(text, "network-config"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_boot_from_a_nocloud_iso_takes_its_network_and_name_reports_its_instance_and_writes_nothing_back()
    {
        var network = _temp.Write("network-config.in", "version: 2\nethernets:\n  id0:\n    addresses: [10.10.10.10/24]\n    gateway4: 10.10.10.1\n");
        var iso = await CloudLocaldsAsync("seed.iso", UserData, "--hostname=pg-appliance-1", $"--network-config={network}");
        await AttachAsync(iso, "cidata");
        var machine = new FakeMachine(_temp.File("root"));
        var nic = new WiredNic("ens3", "52:54:00:00:00:0a");
        var addresses = new NodeNetwork(() => [nic], () => machine.Scripted.Calls.Contains("networkctl reconfigure ens3") ? [("ens3", IPAddress.Parse("10.10.10.10"))] : []);
        var status = new StatusReporter(machine.Files, _ => { }, new SdNotify(null), TimeProvider.System);
        var installer = new NodeInstaller(machine, new NoBundleCheck(), new SeedLocator(_processes, NullLogger<SeedLocator>.Instance, _locations), status, [],
            NullLogger<NodeInstaller>.Instance, TimeProvider.System, addresses);

        await installer.RunAsync(new InstallOptions(null, null, false, false) { RepoDirectory = BundleRepo.Write(_temp) },
            CancellationToken.None);

        // The network-config's address, on the only wired NIC (no MAC given), through the same file the site material uses.
        Assert.Contains("Address=10.10.10.10/24\nGateway=10.10.10.1\n",
            await File.ReadAllTextAsync(Path.Join(_temp.File("root"), NodeLayout.StaticNetwork)), StringComparison.Ordinal);
        var json = await File.ReadAllTextAsync(Path.Join(_temp.File("root"), NodeLayout.StatusFile));
        Assert.Contains("\"hostname\": \"pg-appliance-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"instance_id\": \"iid-local01\"", json, StringComparison.Ordinal);
        Assert.Contains("\"seed_write_back\": \"skipped: the seed volume is ISO 9660, read-only media\"", json, StringComparison.Ordinal);

        // Never made writable, nothing written to it, and unmounted after.
        Assert.DoesNotContain(_processes.Lines, l => l.Contains("remount,rw", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Join(_locations.MountPoint, SeedMedia.StatusWriteBack)));
        Assert.Equal($"umount {_locations.MountPoint}", _processes.Lines.Last());
    }

    private Task<SeedSource> LocateAsync() =>
        new SeedLocator(_processes, NullLogger<SeedLocator>.Instance, _locations).LocateAsync(CancellationToken.None);

    /// <summary>A seed made by cloud-localds from <paramref name="userData"/> (its meta-data too, unless the options give one).</summary>
    private async Task<string> CloudLocaldsAsync(string name, string userData, params string[] options)
    {
        var image = _temp.File(name);
        await RealTool.CheckAsync("cloud-localds", [.. options, image, _temp.Write("user-data.in", userData)]);
        return image;
    }

    /// <summary>Links the image as /dev/disk/by-label/<paramref name="label"/> would, and puts its files where the mount would show them.</summary>
    private async Task<string> AttachAsync(string image, string label)
    {
        var device = Path.Join(_locations.ByLabel, label);
        File.CreateSymbolicLink(device, image);
        Directory.CreateDirectory(_locations.MountPoint);
        var type = (await RealTool.CheckAsync("blkid", "-o", "value", "-s", "TYPE", image)).StandardOutput.Trim();
        if (type == "iso9660")
        {
            var listing = await RealTool.CheckAsync("isoinfo", "-R", "-f", "-i", image);
            foreach (var path in listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var file = await RealTool.CheckAsync("isoinfo", "-R", "-i", image, "-x", path);
                await File.WriteAllTextAsync(Path.Join(_locations.MountPoint, path.TrimStart('/')), file.StandardOutput);
            }
        }
        else
        {
            await RealTool.CheckAsync("mcopy", "-i", image, "-s", "::/*", _locations.MountPoint + "/");
        }

        return device;
    }
}

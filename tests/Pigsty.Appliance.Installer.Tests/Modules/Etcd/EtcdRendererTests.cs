using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Etcd.Renderers;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Etcd;

public sealed class EtcdRendererTests
{
    private static EtcdSettings Settings(string sample, string address)
    {
        using var root = new TempDirectory();
        var node = ModuleNodes.Create(root.Path, ModuleNodes.Sample(sample), address);
        var (cluster, member) = node.Etcd!.Value;
        return EtcdSettings.From(node.Vars, cluster, member);
    }

    [Fact]
    public void Single_member_config_unit_and_target_match_golden_files()
    {
        var settings = Settings("single-node.yml", "10.10.10.10");

        Golden.Assert(EtcdRenderer.Config(settings), "Modules/Etcd/Golden/single/etcd.conf");
        Golden.Assert(EtcdRenderer.Unit(settings).Render(), "Modules/Etcd/Golden/single/etcd.service");
        Golden.Assert(EtcdRenderer.ScrapeTargets(settings).Single().Render(), "Modules/Etcd/Golden/single/etcd-1.yml");
    }

    [Fact]
    public void Second_member_of_three_lists_every_peer_and_listens_on_its_own_address()
    {
        var settings = Settings("three-node-ha.yml", "10.10.10.11");

        Golden.Assert(EtcdRenderer.Config(settings), "Modules/Etcd/Golden/three/etcd-2.conf");
        Assert.Equal("etcd-2", settings.Member.Name);
        Assert.Equal("etcd-1", settings.First.Name);
        Assert.Equal("https://10.10.10.10:2379,https://10.10.10.11:2379,https://10.10.10.12:2379", settings.ClientEndpoints);
        Assert.Equal(new Uri("http://10.10.10.11:2381/health"), settings.HealthUri);
    }

    [Fact]
    public void Pigsty_parameters_override_defaults_and_bad_values_name_the_field()
    {
        var members = new MemberCluster("etcd", [new ClusterMember(IPAddress.Parse("10.0.0.5"), 3)]);
        var vars = InventoryLoader.Parse("""
            all:
              children:
                etcd: { hosts: { 10.0.0.5: { etcd_seq: 3 } }, vars: { etcd_cluster: etcd, etcd_data: /srv/etcd, etcd_port: 12379, etcd_init: existing } }
              vars: { admin_ip: 10.0.0.5 }
            """, "pigsty.yml").Hosts[0].Vars;

        var settings = EtcdSettings.From(vars, members, members.Members[0]);

        Assert.Equal(("/srv/etcd", 12379, 2380, "existing"), (settings.DataDir, settings.ClientPort, settings.PeerPort, settings.InitialState));
        Assert.Equal("etcd-3=https://10.0.0.5:2380", settings.InitialCluster);

        var bad = InventoryLoader.Parse("""
            all:
              children:
                etcd: { hosts: { 10.0.0.5: { etcd_seq: 3 } }, vars: { etcd_cluster: etcd, etcd_init: maybe } }
              vars: { admin_ip: 10.0.0.5 }
            """, "pigsty.yml").Hosts[0].Vars;
        var error = Assert.Throws<Core.Errors.InputException>(() => EtcdSettings.From(bad, members, members.Members[0]));
        Assert.Contains("etcd_init: expected new or existing, got 'maybe'", error.Message, StringComparison.Ordinal);
    }
}

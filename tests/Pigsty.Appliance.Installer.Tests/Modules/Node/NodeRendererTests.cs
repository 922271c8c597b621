using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>Every file NODE renders, compared with its checked-in golden copy (PIGSTY_UPDATE_GOLDEN=1 rewrites them and fails).</summary>
public sealed class NodeRendererTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private NodeSettings Admin() => NodeSettings.From(TestNode.Create(_root.Path));

    private NodeSettings Replica() => NodeSettings.From(TestNode.Create(_root.Path, TestNode.TwoNodes, address: "10.10.10.11"));

    [Fact]
    public void Hosts_file_keeps_local_lines_drops_debians_loopback_name_and_is_stable()
    {
        const string debian = "127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n192.168.1.5 backup-server\n";

        var once = EtcHostsFile.Render(debian, Admin().EtcHosts);

        Golden.Assert(once, "Modules/Node/Golden/hosts");
        Assert.Equal(once, EtcHostsFile.Render(once, Admin().EtcHosts));
        Assert.Equal(once.Replace("10.10.10.10 pg-meta-1\n", "10.10.10.10 renamed\n", StringComparison.Ordinal),
            EtcHostsFile.Render(once, ["10.10.10.10 renamed", "10.10.10.10 i.pigsty"]));
    }

    [Fact]
    public void Hosts_file_for_a_node_without_one() =>
        Golden.Assert(EtcHostsFile.Render(null, Replica().EtcHosts), "Modules/Node/Golden/hosts.replica");

    [Fact]
    public void Apt_source_is_the_bundle_on_the_nodes_own_disk_on_every_node()
    {
        Golden.Assert(AptSourceFile.Render(Admin().RepoUri, "/www/pigsty/pigsty.gpg"), "Modules/Node/Golden/pigsty.list");
        Assert.Equal(Admin().RepoUri, Replica().RepoUri);
    }

    [Fact]
    public void Chrony_follows_the_admin_node_which_itself_has_no_source()
    {
        Golden.Assert(ChronyClientConfig.Render(Admin().NtpSources), "Modules/Node/Golden/chrony.conf");
        Golden.Assert(ChronyClientConfig.Render(Replica().NtpSources), "Modules/Node/Golden/chrony.conf.replica");
    }

    [Fact]
    public void Kernel_tuning_and_limits()
    {
        Golden.Assert(KernelTuning.RenderSysctl(Admin().Tune, Admin().OvercommitRatio, Admin().ExtraSysctl), "Modules/Node/Golden/90-pigsty.sysctl.conf");
        Golden.Assert(KernelTuning.RenderLimits(), "Modules/Node/Golden/90-pigsty.limits.conf");
        var strict = KernelTuning.RenderSysctl("oltp", 90, [KeyValuePair.Create("vm.nr_hugepages", "128")]);
        Assert.Contains("vm.overcommit_memory = 2\nvm.overcommit_ratio = 90\n", strict, StringComparison.Ordinal);
        Assert.EndsWith("# node_sysctl_params from the inventory\nvm.nr_hugepages = 128\n", strict, StringComparison.Ordinal);
    }

    [Fact]
    public void Haproxy_config() =>
        Golden.Assert(HaproxyConfig.Render(Admin(), "Hx7rK2mPq9"), "Modules/Node/Golden/haproxy.cfg");

    [Fact]
    public void Units()
    {
        Golden.Assert(NodeUnits.Chrony().Render(), "Modules/Node/Golden/chrony.service");
        Golden.Assert(NodeUnits.Haproxy().Render(), "Modules/Node/Golden/haproxy.service");
        Golden.Assert(NodeUnits.NodeExporter(System.Net.IPAddress.Parse("10.10.10.10"), 9100).Render(), "Modules/Node/Golden/prometheus-node-exporter.service");
    }

    [Fact]
    public void Login_limits_leave_core_dumps_off() =>
        Assert.DoesNotContain("\tcore\t", KernelTuning.RenderLimits(), StringComparison.Ordinal);

    [Fact]
    public void Sshd_drop_in_turns_passwords_off_only_when_the_admin_user_has_keys()
    {
        var withKeys = TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_admin_pk_list: ['ssh-ed25519 AAAA k']", StringComparison.Ordinal);
        var keyed = SshdConfig.Render(NodeSettings.From(TestNode.Create(_root.Path, withKeys)).Admin);
        var keyless = SshdConfig.Render(Admin().Admin);

        Golden.Assert(keyed, "Modules/Node/Golden/90-pigsty.sshd.conf");
        Golden.Assert(keyless, "Modules/Node/Golden/90-pigsty.sshd.conf.keyless");
        Assert.Contains("\nPermitRootLogin no\n", keyless, StringComparison.Ordinal);
        Assert.Contains("\nPasswordAuthentication no\n", keyed, StringComparison.Ordinal);
        Assert.DoesNotContain("PasswordAuthentication", keyless, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_node_admin_pk_list_is_a_warning_in_the_plan()
    {
        var plan = new NodeModule(InstallModules.Descriptors).Plan(TestNode.Create(_root.Path));

        Assert.Contains("node_admin_pk_list is empty: first boot gives the admin user dba a one-time password, shown only on this node's local console "
            + "and login banner (/etc/issue.d/pigsty-admin.issue, never on the portal, in status.json or over the network), which must be changed at the "
            + "first login; add a public key to node_admin_pk_list for SSH by key", plan.Notes);
        Assert.Contains(plan.Steps, s => s.Id == "node.admin-password");
        var withKeys = TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_admin_pk_list: ['ssh-ed25519 AAAA k']", StringComparison.Ordinal);
        Assert.DoesNotContain(new NodeModule(InstallModules.Descriptors).Plan(TestNode.Create(_root.Path, withKeys)).Notes,
            n => n.Contains("node_admin_pk_list", StringComparison.Ordinal));
        Assert.DoesNotContain(new NodeModule(InstallModules.Descriptors).Plan(TestNode.Create(_root.Path, withKeys)).Steps, s => s.Id == "node.admin-password");
    }

    [Fact]
    public void Haproxy_admin_page_and_metrics_listen_on_the_node_address_only() =>
        Assert.Contains("\n    bind 10.10.10.10:9101\n", HaproxyConfig.Render(Admin(), "Hx7rK2mPq9"), StringComparison.Ordinal);

    [Fact]
    public void Node_exporter_listens_on_the_node_address_only() =>
        Assert.Contains(" --web.listen-address=10.10.10.10:9100 ",
            NodeUnits.NodeExporter(System.Net.IPAddress.Parse("10.10.10.10"), 9100).Render(), StringComparison.Ordinal);

    [Fact]
    public void Scrape_target_of_the_node()
    {
        var target = Admin().ScrapeTarget();

        Assert.Equal("/etc/pigsty/targets/node/10.10.10.10.yml", target.Path);
        Golden.Assert(target.Render(), "Modules/Node/Golden/node-target.yml");
    }
}

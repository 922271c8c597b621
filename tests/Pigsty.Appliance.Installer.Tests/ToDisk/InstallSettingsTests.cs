using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.ToDisk;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

/// <summary>The install_* keys as a node reads them from its seed.</summary>
public sealed class InstallSettingsTests
{
    private const string Site = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            etcd:  { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            pg-meta:
              hosts:
                10.10.10.10: { pg_seq: 1, pg_role: primary, install_disk: { serial: SRV-A } }
                10.10.10.11: { pg_seq: 2, pg_role: replica }
              vars: { pg_cluster: pg-meta }
          vars:
            admin_ip: 10.10.10.10
            install_disk: { min_size: 30GiB }
            install_unattended: true
        """;

    private static PigstyInventory Load(string text) => InventoryLoader.FromYaml(YamlReader.Parse(text, "/seed/pigsty.yml"), "/seed/pigsty.yml");

    [Fact]
    public void A_node_takes_its_own_host_variables_over_all_vars()
    {
        var settings = InstallSettings.From(Load(Site), IPAddress.Parse("10.10.10.10"));

        Assert.Equal(new DiskRule(null, "SRV-A", null, null), settings.Rule);
        Assert.True(settings.Unattended);
        Assert.False(settings.Wipe);
        Assert.Equal("/seed/pigsty.yml", settings.Source);
    }

    [Fact]
    public void A_node_without_its_own_keys_inherits_all_vars()
    {
        var settings = InstallSettings.From(Load(Site), IPAddress.Parse("10.10.10.11"));

        Assert.Equal(new DiskRule(null, null, 30L << 30, null), settings.Rule);
    }

    [Fact]
    public void Without_an_address_a_site_of_several_hosts_reads_all_vars_and_a_single_host_its_own()
    {
        Assert.Equal(new DiskRule(null, null, 30L << 30, null), InstallSettings.From(Load(Site), null).Rule);
        var single = Load(string.Join('\n', Site.Split('\n').Where(l => !l.Contains("10.10.10.11", StringComparison.Ordinal))));
        Assert.Equal(new DiskRule(null, "SRV-A", null, null), InstallSettings.From(single, null).Rule);
    }

    [Fact]
    public void A_bad_rule_names_the_seed_file_and_the_key()
    {
        var error = Assert.Throws<InputException>(() => InstallSettings.From(Load(Site.Replace("serial: SRV-A", "colour: blue", StringComparison.Ordinal)),
            IPAddress.Parse("10.10.10.10")));

        Assert.Contains("/seed/pigsty.yml", error.Message, StringComparison.Ordinal);
        Assert.Contains("install_disk", error.Message, StringComparison.Ordinal);
    }
}

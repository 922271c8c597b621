using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Etcd.Renderers;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Targets;

/// <summary>
/// What a Debian 13 bundle (PostgreSQL 17, Patroni 4, etcd 3.5, haproxy 3.0) makes the renderers write, in golden files of its
/// own beside Debian 12's; where the text is the same for both targets, the Debian 12 golden file is asserted for both.
/// </summary>
public sealed class Debian13RendererTests
{
    private static readonly TargetPlatform D13 = TargetPlatform.Debian13;

    internal static EtcdSettings Etcd(string sample, string address, TargetPlatform platform)
    {
        using var root = new TempDirectory();
        var node = ModuleNodes.Create(root.Path, ModuleNodes.Sample(sample), address, platform: platform);
        var (cluster, member) = node.Etcd!.Value;
        return EtcdSettings.From(node.Vars, cluster, member, node.Repo.Platform);
    }

    [Fact]
    public void A_debian_13_bundle_reaches_the_settings_of_pgsql_and_etcd()
    {
        var pg = PgsqlFixture.Settings("single-node.yml", "10.10.10.10", platform: D13);

        Assert.Equal(17, pg.Version);
        Assert.Equal(D13, pg.Platform);
        Assert.Equal("/usr/lib/postgresql/17/bin", pg.BinDir);
        Assert.Equal(D13, Etcd("single-node.yml", "10.10.10.10", D13).Platform);
        Assert.Equal(TargetPlatform.Debian12, PgsqlFixture.Settings("single-node.yml", "10.10.10.10").Platform);
    }

    [Fact]
    public void Patroni_4_configuration_matches_golden_files()
    {
        var single = PgsqlFixture.Settings("single-node.yml", "10.10.10.10", platform: D13);
        var replica = PgsqlFixture.Settings("three-node-vip.yml", "10.10.10.12", platform: D13);

        Golden.Assert(PatroniRenderer.Render(single, PgsqlFixture.Secrets), "Modules/Targets/Golden/d13/patroni.yml");
        Golden.Assert(PatroniRenderer.Render(replica, PgsqlFixture.Secrets), "Modules/Targets/Golden/d13/patroni-pg-test-2.yml");
    }

    [Fact]
    public void Etcd_3_5_configuration_matches_golden_files_and_debian_12_keeps_its_own()
    {
        Golden.Assert(EtcdRenderer.Config(Etcd("single-node.yml", "10.10.10.10", D13)), "Modules/Targets/Golden/d13/etcd.conf");
        Golden.Assert(EtcdRenderer.Config(Etcd("three-node-ha.yml", "10.10.10.11", D13)), "Modules/Targets/Golden/d13/etcd-2.conf");
        Golden.Assert(EtcdRenderer.Unit(Etcd("single-node.yml", "10.10.10.10", D13)).Render(), "Modules/Etcd/Golden/single/etcd.service");

        // The keys etcd 3.4 does not know stay out of Debian 12's file.
        var d12 = EtcdRenderer.Config(Etcd("single-node.yml", "10.10.10.10", TargetPlatform.Debian12));
        Assert.DoesNotContain("experimental-", d12, StringComparison.Ordinal);
        Golden.Assert(d12, "Modules/Etcd/Golden/single/etcd.conf");
    }

    [Fact]
    public void Haproxy_3_0_reads_the_same_files_as_2_6()
    {
        using var root = new TempDirectory();
        var node = ModuleNodes.Create(root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10", platform: D13);

        Golden.Assert(HaproxyRenderer.Render(PgsqlFixture.Settings("single-node.yml", "10.10.10.10", platform: D13)), "Modules/Pgsql/Golden/single/pg-meta.cfg");
        Golden.Assert(HaproxyRenderer.Render(PgsqlFixture.Settings("three-node-vip.yml", "10.10.10.12", platform: D13)), "Modules/Pgsql/Golden/cluster/pg-test.cfg");
        var d12 = ModuleNodes.Create(root.File("d12"), ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        Assert.Equal(D13, node.Repo.Platform);
        Assert.Equal(HaproxyConfig.Render(NodeSettings.From(d12), "Hx7rK2mPq9"), HaproxyConfig.Render(NodeSettings.From(node), "Hx7rK2mPq9"));
    }

    [Fact]
    public void A_parameter_postgresql_17_removed_is_an_error_naming_it_and_postgresql_15_keeps_it()
    {
        string With(string parameters) => ModuleNodes.Sample("single-node.yml").Replace("pg_conf: tiny", $"pg_conf: tiny\n        pg_parameters: {{ {parameters} }}", StringComparison.Ordinal);

        Assert.Contains(("old_snapshot_threshold", "-1"), PgParameters.Local(PgsqlFixture.Settings(With("old_snapshot_threshold: -1"), "10.10.10.10")));
        var removed = Assert.Throws<Core.Errors.InputException>(() => PgParameters.Local(PgsqlFixture.Settings(With("old_snapshot_threshold: -1"), "10.10.10.10", platform: D13)));
        var renamed = Assert.Throws<Core.Errors.InputException>(() => PgParameters.Local(PgsqlFixture.Settings(With("force_parallel_mode: 'on'"), "10.10.10.10", platform: D13)));

        Assert.Contains("old_snapshot_threshold: PostgreSQL 17 removed this parameter, and this instance runs PostgreSQL 17; remove it", removed.Message, StringComparison.Ordinal);
        Assert.Contains("force_parallel_mode: PostgreSQL 16 removed this parameter, and this instance runs PostgreSQL 17; use debug_parallel_query instead", renamed.Message, StringComparison.Ordinal);
    }
}

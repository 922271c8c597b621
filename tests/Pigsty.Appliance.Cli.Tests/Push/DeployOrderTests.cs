using Pigsty.Appliance.Cli.Push;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Push;

/// <summary>Who deploy installs first and who waits for whom; --limit; Ansible's connection variables.</summary>
public sealed class DeployOrderTests
{
    private static readonly PigstyInventory Site = InventoryLoader.Parse(File.ReadAllText(TestData.Path("Samples", "ha-site.yml")), "ha-site.yml");

    [Fact]
    public void The_admin_node_and_the_etcd_members_start_together_then_primaries_then_replicas_after_their_primary()
    {
        var plan = DeployOrder.Plan(Site, [], "root");

        Assert.Equal(["10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13"], plan.Select(p => p.Name));
        Assert.Equal(["admin node, etcd member", "etcd member", "etcd member", "pg-test-1 primary"], plan.Select(p => p.Role));

        // The admin node is an etcd member: its peers may not wait for it (etcd waits for a quorum), nor it for them.
        Assert.Empty(plan[0].After);
        Assert.Empty(plan[1].After);
        Assert.Equal(["10.10.10.10", "10.10.10.11", "10.10.10.12"], plan[3].After);
        Assert.All(plan, p => Assert.Equal(new SshTarget(p.Name, p.Name, 22, "root"), p.Target));
    }

    [Fact]
    public void A_replica_waits_for_its_primary_and_hosts_outside_the_limit_are_taken_as_running()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                pg-test:
                  hosts:
                    10.10.10.12: { pg_seq: 2, pg_role: replica, ansible_host: 127.0.0.1, ansible_port: 2222, ansible_user: admin }
                    10.10.10.11: { pg_seq: 1, pg_role: primary }
                  vars: { pg_cluster: pg-test }
              vars: { admin_ip: 10.10.10.10 }
            """, "pigsty.yml");

        var all = DeployOrder.Plan(inventory, [], "root");
        Assert.Equal(["10.10.10.10", "10.10.10.11", "10.10.10.12"], all.Select(p => p.Name));
        Assert.Equal(["10.10.10.10", "10.10.10.11"], all[2].After);
        Assert.Equal("pg-test-2 replica", all[2].Role);
        Assert.Equal(new SshTarget("10.10.10.12", "127.0.0.1", 2222, "admin"), all[2].Target);

        var added = Assert.Single(DeployOrder.Plan(inventory, ["10.10.10.12"], "root"));
        Assert.Empty(added.After);

        var wrong = Assert.Throws<UsageException>(() => DeployOrder.Plan(inventory, ["10.10.10.99"], "root"));
        Assert.StartsWith("--limit 10.10.10.99: not a host of pigsty.yml", wrong.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Core.Tests.Inventory;

/// <summary>Inventories shaped like Pigsty's own conf/*.yml that an earlier loader rejected; each now means what it means in Pigsty.</summary>
public sealed class PigstyShapeTests
{
    /// <summary>demo/debian.yml: etcd_cluster in all.vars is only the default; the etcd group alone holds the members.</summary>
    [Fact]
    public void Etcd_cluster_in_all_vars_makes_no_group_an_etcd_cluster()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                etcd:  { hosts: { 10.10.10.10: { etcd_seq: 1 } } }
                pg-meta:
                  hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
                  vars: { pg_cluster: pg-meta }
                pg-test:
                  hosts:
                    10.10.10.11: { pg_seq: 1, pg_role: primary }
                    10.10.10.12: { pg_seq: 2, pg_role: replica }
                  vars: { pg_cluster: pg-test }
              vars:
                admin_ip: 10.10.10.10
                etcd_cluster: etcd
            """, "debian-shape.yml");

        var etcd = Assert.Single(inventory.Etcd);
        Assert.Equal("etcd", etcd.Name);
        Assert.Equal([IPAddress.Parse("10.10.10.10")], etcd.Members.Select(m => m.Address));
        Assert.Equal(["pg-meta", "pg-test"], inventory.PgClusters.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Empty(inventory.Warnings);
    }

    /// <summary>ha/citus.yml: one group holds several clusters, each host naming its own pg_cluster.</summary>
    [Fact]
    public void Host_level_pg_cluster_makes_one_cluster_per_name_inside_one_group()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                pg-citus:
                  hosts:
                    10.10.10.21: { pg_group: 0, pg_cluster: pg-citus1, pg_seq: 1, pg_role: primary }
                    10.10.10.22: { pg_group: 0, pg_cluster: pg-citus1, pg_seq: 2, pg_role: replica }
                    10.10.10.31: { pg_group: 1, pg_cluster: pg-citus2, pg_seq: 1, pg_role: primary }
                  vars: { pg_mode: citus, pg_shard: pg-citus }
              vars: { admin_ip: 10.10.10.10 }
            """, "citus-shape.yml");

        var clusters = inventory.PgClusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["pg-citus1", "pg-citus2"], clusters.Select(c => c.Name));
        Assert.Equal(["pg-citus1-1", "pg-citus1-2"], clusters[0].Instances.Select(i => i.Name));
        Assert.Equal("citus", clusters[1].Vars.String("pg_mode", "pgsql"));
    }

    /// <summary>build/oss.yml: hosts carry pg_cluster themselves, and sit in the infra group too with their own admin_ip.</summary>
    [Fact]
    public void Host_level_clusters_with_hosts_in_several_groups_and_host_level_admin_ip()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              vars: { admin_ip: 10.10.10.26, pg_version: 18 }
              children:
                el9:  { hosts: { 10.10.10.9:  { pg_cluster: el9, pg_seq: 1, pg_role: primary } } }
                u26:  { hosts: { 10.10.10.26: { pg_cluster: u26, pg_seq: 1, pg_role: primary } } }
                etcd: { hosts: { 10.10.10.26: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                infra:
                  hosts:
                    10.10.10.9:  { infra_seq: 1, admin_ip: 10.10.10.9, ansible_host: el9 }
                    10.10.10.26: { infra_seq: 2, admin_ip: 10.10.10.26, ansible_host: u26 }
                  vars: { node_tune: oltp }
            """, "oss-shape.yml");

        Assert.Equal(["el9", "u26"], inventory.PgClusters.Select(c => c.Name).Order(StringComparer.Ordinal));
        var el9 = inventory.FindHost(IPAddress.Parse("10.10.10.9"))!;
        Assert.Equal(["el9", "infra"], el9.Groups);
        Assert.Equal("10.10.10.9", el9.Vars.String("admin_ip", ""));
        Assert.Equal("oltp", el9.Vars.String("node_tune", ""));
        Assert.Equal([1, 2], inventory.Infra.Select(m => m.Seq));
    }

    /// <summary>pg_seq without any pg_cluster is accepted (Pigsty ignores it), with a warning naming where it is.</summary>
    [Fact]
    public void Pg_seq_on_a_host_outside_every_cluster_is_a_warning()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                infra:
                  hosts: { 10.10.10.10: { infra_seq: 1, pg_seq: 1 } }
              vars: { admin_ip: 10.10.10.10 }
            """, "orphan.yml");

        Assert.Empty(inventory.PgClusters);
        Assert.Equal("orphan.yml:4:53: all.children.infra.hosts[10.10.10.10].pg_seq: pg_seq is set but this host has no pg_cluster, so it runs no PostgreSQL instance",
            Assert.Single(inventory.Warnings).ToString());
    }

    /// <summary>Nested children: a parent group's variables reach the hosts of its children, and the group name need not equal pg_cluster.</summary>
    [Fact]
    public void Nested_groups_share_their_parents_variables()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                pgsql:
                  vars: { pg_conf: crit, pg_cluster: pg-prod }
                  children:
                    pg-prod-a: { hosts: { 10.0.0.1: { pg_seq: 1, pg_role: primary } } }
                    pg-prod-b: { hosts: { 10.0.0.2: { pg_seq: 2, pg_role: replica } } }
                etcd: { hosts: { 10.0.0.1: { etcd_seq: 1 } } }
              vars: { admin_ip: 10.0.0.1 }
            """, "nested.yml");

        var cluster = Assert.Single(inventory.PgClusters);
        Assert.Equal("pg-prod", cluster.Name);
        Assert.Equal(2, cluster.Instances.Count);
        Assert.Equal("crit", cluster.Vars.String("pg_conf", "oltp"));
        Assert.Equal(["pgsql"], inventory.Groups.Single(g => g.Name == "pg-prod-b").Parents);
    }

    [Fact]
    public void Definitions_list_every_variable_with_its_scope()
    {
        var inventory = InventoryLoader.Parse("""
            all:
              children:
                pg-meta:
                  hosts: { 10.0.0.1: { pg_seq: 1, pg_role: primary } }
                  vars: { pg_cluster: pg-meta }
              vars: { admin_ip: 10.0.0.1 }
            """, "definitions.yml");

        Assert.Equal(["admin_ip all all", "pg_seq Host 10.0.0.1", "pg_role Host 10.0.0.1", "pg_cluster Group pg-meta"],
            inventory.Definitions.Select(d => $"{d.Name} {(d.Scope == VarScope.All ? "all" : d.Scope.ToString())} {d.Owner}"));
    }
}

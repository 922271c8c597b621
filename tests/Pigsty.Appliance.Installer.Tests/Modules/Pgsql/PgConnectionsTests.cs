using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Modules;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Installer.Tests.Modules.Infra;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>The portal's connection strings: the VIP or the members as host, the users Pigsty's rules admit per port, and never a password.</summary>
public sealed class PgConnectionsTests : IDisposable
{
    /// <summary>The two-node site with a VIP, a replica without pgbouncer, users given a password (one without pgbouncer) and one generated.</summary>
    private static readonly string VipSite = TestNode.TwoNodes
        .Replace("10.10.10.11: { pg_seq: 2, pg_role: replica }", "10.10.10.11: { pg_seq: 2, pg_role: replica, pgbouncer_enabled: false }", StringComparison.Ordinal)
        .Replace("      vars: { pg_cluster: pg-meta }\n", """
                  vars:
                    pg_cluster: pg-meta
                    pg_vip_enabled: true
                    pg_vip_address: 10.10.10.3/24
                    pg_users:
                      - { name: dbuser_app, password: App.Seed-4kq, pgbouncer: true, roles: [dbrole_readwrite] }
                      - { name: dbuser_etl, password: Etl.Seed-8vw, roles: [dbrole_readonly] }
                      - { name: dbuser_gen, pgbouncer: true }
                    pg_databases: [ { name: app, owner: dbuser_app } ]

            """, StringComparison.Ordinal);

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static Dictionary<(string Service, int Port), ServiceConnection> ByPort(IEnumerable<ServiceConnection> connections) =>
        connections.ToDictionary(c => (c.Name, c.Port));

    private static IReadOnlyList<string> Users(ServiceConnection connection) => connection.Logins.Select(l => l.User).ToList();

    [Fact]
    public void Services_use_the_vip_and_admit_the_users_pigsty_admits_there()
    {
        var node = TestNode.Create(_root.Path, VipSite);

        var connections = ByPort(PgsqlModule.Descriptor.Connections(node.Inventory));

        Assert.Equal(["dbuser_dba", "dbuser_monitor", "dbuser_app", "dbuser_gen"], Users(connections[("pg-meta-primary (VIP)", 5433)]));
        Assert.Equal(["dbuser_dba", "dbuser_monitor", "dbuser_app", "dbuser_etl", "dbuser_gen"], Users(connections[("pg-meta-default (VIP)", 5436)]));
        Assert.Equal("pgbouncer on pg-meta-1, pg-meta-2; only users with pgbouncer: true", connections[("pg-meta-primary (VIP)", 5433)].LeadsTo);
        var app = connections[("pg-meta-replica (VIP)", 5434)].Logins.Single(l => l.User == "dbuser_app");
        Assert.Equal(new ServiceLogin("dbuser_app", "psql 'postgres://dbuser_app@10.10.10.3:5434/app'", "password as given in the seed (pg_users)"), app);
        var logins = connections[("pg-meta-offline (VIP)", 5438)].Logins.ToDictionary(l => l.User, l => l.Password);
        Assert.Equal("password as given in the seed (pg_admin_password)", logins["dbuser_dba"]);
        Assert.Equal("password as given in the seed (pg_monitor_password)", logins["dbuser_monitor"]);
        Assert.Equal("password from credentials.yml (pg_user_dbuser_gen_password)", logins["dbuser_gen"]);

        // Each instance's own ports, at its own address; the replica without pgbouncer has no pgbouncer line.
        Assert.Contains(connections[("pg-meta-2 postgres", 5432)].Logins, l => l.Command == "psql 'postgres://dbuser_etl@10.10.10.11:5432/app'");
        Assert.Equal(["dbuser_dba", "dbuser_monitor", "dbuser_app", "dbuser_gen"], Users(connections[("pg-meta-1 pgbouncer", 6432)]));
        Assert.DoesNotContain(connections.Keys, k => k.Service == "pg-meta-2 pgbouncer");
    }

    [Fact]
    public void Without_a_vip_a_service_names_every_member_whose_haproxy_serves_it()
    {
        var node = TestNode.Create(_root.Path, TestNode.TwoNodes);

        var primary = PgsqlModule.Descriptor.Connections(node.Inventory).Single(c => c.Port == 5433);

        Assert.Equal("pg-meta-primary", primary.Name);
        Assert.Contains(primary.Logins, l => l.Command == "psql 'postgres://dbuser_dba@10.10.10.10:5433,10.10.10.11:5433/postgres'");
    }

    [Fact]
    public async Task The_portal_page_lists_the_connections_and_no_password_of_the_inventory_or_credentials()
    {
        var node = TestNode.Create(_root.Path, VipSite, address: "10.10.10.10");
        var connections = InstallModules.Descriptors.SelectMany(d => d.Connections(node.Inventory)).ToList();
        var secrets = new List<string> { "App.Seed-4kq", "Etl.Seed-8vw", "Repl.Shared-9kd", "Mon.Shared-2mz", "Dba.Shared-7tw", "Api.Shared-3rf", "Dcs.Shared-8pn" };
        foreach (var name in new[] { "pg_user_dbuser_gen_password", "pg_user_dbuser_etl_password", "haproxy_admin_password", "nginx_admin_password", "grafana_admin_password" })
        {
            secrets.Add(await node.Credentials.GetAsync(name, CancellationToken.None));
        }

        var page = PortalPage.Render(InfraSettings.From(node), [], PortalPageTests.Queries, connections);

        Assert.Contains("<h3>pg-meta</h3>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>pg-meta-primary (VIP)</td><td class=\"num\">5433</td><td>pgbouncer on pg-meta-1, pg-meta-2; only users with pgbouncer: true</td>"
            + "<td><div><code>psql &#39;postgres://dbuser_dba@10.10.10.3:5433/app&#39;</code> <span class=\"password\">password as given in the seed (pg_admin_password)</span></div>",
            page, StringComparison.Ordinal);
        Assert.Contains(NodeLayout.CredentialsFile, page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(_root.Path, NodeLayout.CredentialsFile)), "the generated secrets were written");
        Assert.All(secrets, s => Assert.DoesNotContain(s, page, StringComparison.Ordinal));
    }
}

using System.Globalization;
using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// The connection strings of every cluster the portal lists: each HAProxy service (at the cluster's VIP when <c>pg_vip_enabled</c>,
/// else at its members, as a libpq multi-host URI since every member's HAProxy serves it), then postgres and pgbouncer of each
/// instance. Who may use which port comes from <see cref="ServiceAccess"/>, the rule the plan explains; passwords are never included.
/// </summary>
public static class PgConnections
{
    /// <summary>The connections of every PostgreSQL cluster of <paramref name="inventory"/>.</summary>
    public static IEnumerable<ServiceConnection> Of(PigstyInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return inventory.PgClusters.SelectMany(c => Of(inventory, c));
    }

    private static List<ServiceConnection> Of(PigstyInventory inventory, PgCluster cluster)
    {
        var vars = cluster.Vars;
        var access = ServiceAccess.Of(PgsqlSettings.UsersOf(vars), vars.String("pg_dbsu", "postgres"), PgsqlSettings.ServicesOf(inventory, cluster, vars),
            vars.Bool("pgbouncer_enabled", true), vars.Int("pg_port", 5432));
        var database = PgsqlSettings.DatabasesOf(vars).FirstOrDefault()?.Name ?? "postgres";
        var vip = PgVip.From(vars);
        IReadOnlyList<IPAddress> serviceHosts = vip is null ? cluster.Instances.Select(i => i.Address).ToList() : [vip.Address];
        var connections = new List<ServiceConnection>();
        foreach (var route in access.Services)
        {
            var servers = string.Join(", ", route.Servers.Select(s => s.Backup ? $"{s.Name} (backup)" : s.Name));
            var admitted = access.Admitted(route);
            var leadsTo = access.ThroughPgbouncer(route) ? $"pgbouncer on {Or(servers)}; only users with pgbouncer: true"
                : access.ToPostgres(route) ? $"postgres on {Or(servers)}; every login user pg_hba admits"
                : $"port {route.Destination} on {Or(servers)}; what listens there decides who gets in";
            connections.Add(new ServiceConnection(cluster.Name, $"{cluster.Name}-{route.Service.Name}" + (vip is null ? "" : " (VIP)"), route.Service.Port,
                leadsTo, Logins(admitted ?? [], vars, serviceHosts, route.Service.Port, database)));
        }

        foreach (var instance in cluster.Instances)
        {
            var host = inventory.FindHost(instance.Address)!.Vars;
            var role = instance.Role.ToString().ToLowerInvariant();
            var port = host.Int("pg_port", 5432);
            connections.Add(new ServiceConnection(cluster.Name, $"{instance.Name} postgres", port, $"postgres of {instance.Name} ({role}) itself; every login user pg_hba admits",
                Logins(access.Logins, vars, [instance.Address], port, database)));
            if (host.Bool("pgbouncer_enabled", true))
            {
                var pgbouncer = host.Int("pgbouncer_port", 6432);
                connections.Add(new ServiceConnection(cluster.Name, $"{instance.Name} pgbouncer", pgbouncer, $"pgbouncer of {instance.Name} ({role}); only users with pgbouncer: true",
                    Logins(access.Pooled, vars, [instance.Address], pgbouncer, database)));
            }
        }

        return connections;
    }

    private static List<ServiceLogin> Logins(IReadOnlyList<PgUser> users, VarSet vars, IReadOnlyList<IPAddress> hosts, int port, string database)
    {
        var authority = string.Join(",", hosts.Select(h => string.Create(CultureInfo.InvariantCulture, $"{HostAddress.ForUri(h)}:{port}")));
        return users.Select(u => new ServiceLogin(u.Name,
            $"psql 'postgres://{Uri.EscapeDataString(u.Name)}@{authority}/{Uri.EscapeDataString(database)}'", PasswordSource(u, vars))).ToList();
    }

    /// <summary>Where the user's password is kept: the seed's value, or the one generated into credentials.yml.</summary>
    private static string PasswordSource(PgUser user, VarSet vars) => user switch
    {
        { Password: not null } => "password as given in the seed (pg_users)",
        { PasswordSecret: { } secret } when vars.Find(secret) is not null => $"password as given in the seed ({secret})",
        { PasswordSecret: { } secret } => $"password from credentials.yml ({secret})",
        _ => "no password: pg_hba decides how it logs in",
    };

    private static string Or(string servers) => servers.Length == 0 ? "no instance (its selector picks none)" : servers;
}

using System.Globalization;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// Which users can use which service port, for the plan's words and the portal's connection strings alike. Pigsty's rule surprises
/// people: a service that leads to pgbouncer (5433 and 5434 by default) admits only users listed in pgbouncer's user list
/// (<c>pgbouncer: true</c>); anyone else gets "SASL authentication failed" there, while the services that lead to postgres (5436,
/// 5438) admit every login user pg_hba allows.
/// </summary>
/// <param name="Logins">The users a client logs in as: login roles other than the dbsu and the replication user.</param>
/// <param name="Port">PostgreSQL's own port (<c>pg_port</c>), which every login can use.</param>
public sealed record ServiceAccess(IReadOnlyList<PgUser> Logins, IReadOnlyList<PgServiceRoute> Services, bool PgbouncerEnabled, int Port)
{
    /// <summary>The access rules of the instance <paramref name="settings"/> describes.</summary>
    public static ServiceAccess Of(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Of(settings.Users, settings.Dbsu, settings.Services, settings.PgbouncerEnabled, settings.Port);
    }

    /// <summary>The access rules for <paramref name="users"/> (every role of the cluster) on <paramref name="services"/>.</summary>
    public static ServiceAccess Of(IReadOnlyList<PgUser> users, string dbsu, IReadOnlyList<PgServiceRoute> services, bool pgbouncerEnabled, int port)
    {
        ArgumentNullException.ThrowIfNull(users);
        return new ServiceAccess(users.Where(u => u.Login && !u.Replication && u.Name != dbsu).ToList(), services, pgbouncerEnabled, port);
    }

    /// <summary>True when <paramref name="route"/> leads to pgbouncer, so only pooled users get in.</summary>
    public bool ThroughPgbouncer(PgServiceRoute route) => route.Destination == "pgbouncer" && PgbouncerEnabled;

    /// <summary>True when <paramref name="route"/> leads to postgres itself (also a pgbouncer service where pgbouncer is off).</summary>
    public bool ToPostgres(PgServiceRoute route) => route.Destination == "postgres" || (route.Destination == "pgbouncer" && !PgbouncerEnabled);

    /// <summary>The users pgbouncer admits: those with <c>pgbouncer: true</c>.</summary>
    public IReadOnlyList<PgUser> Pooled => Logins.Where(u => u.Pgbouncer).ToList();

    /// <summary>
    /// Who can connect through <paramref name="route"/>: the pooled users through pgbouncer, every login to postgres; null when the
    /// service leads to a port number, whose listener decides.
    /// </summary>
    public IReadOnlyList<PgUser>? Admitted(PgServiceRoute route) => ThroughPgbouncer(route) ? Pooled : ToPostgres(route) ? Logins : null;

    /// <summary>One line per kind of destination, and one per login user who cannot use the pgbouncer ports.</summary>
    public IReadOnlyList<string> Explain()
    {
        var throughPgbouncer = Services.Where(ThroughPgbouncer).ToList();
        var toPostgres = Services.Where(ToPostgres).ToList();
        var lines = new List<string>();
        if (throughPgbouncer.Count > 0)
        {
            lines.Add($"service ports {Ports(throughPgbouncer)} go through pgbouncer: only users with pgbouncer: true can connect there ({Names(Pooled)})");
        }

        if (toPostgres.Count > 0)
        {
            lines.Add($"service ports {Ports(toPostgres)} go to postgres directly: every login user pg_hba admits can connect there ({Names(Logins)})");
        }

        if (throughPgbouncer.Count > 0)
        {
            var port = Port.ToString(CultureInfo.InvariantCulture);
            var instead = toPostgres.Count > 0 ? $"{Ports(toPostgres)} or {port}" : port;
            foreach (var user in Logins.Where(u => !u.Pgbouncer))
            {
                lines.Add($"user {user.Name} has no pgbouncer: true, so it cannot connect through {Ports(throughPgbouncer)} (pgbouncer answers 'SASL authentication failed'): "
                    + $"connect on {instead}, or give it pgbouncer: true in pg_users");
            }
        }

        return lines;
    }

    private static string Ports(IEnumerable<PgServiceRoute> routes) =>
        string.Join(", ", routes.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Service.Port} ({r.Service.Name})")));

    private static string Names(IReadOnlyList<PgUser> users) => users.Count == 0 ? "none" : string.Join(", ", users.Select(u => u.Name));
}

using System.Globalization;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// Which users can use which service port, in words for the plan. Pigsty's rule surprises people: a service that leads to
/// pgbouncer (5433 and 5434 by default) admits only users listed in pgbouncer's user list (<c>pgbouncer: true</c>); anyone else
/// gets "SASL authentication failed" there, while the services that lead to postgres (5436, 5438) admit every login user pg_hba allows.
/// </summary>
public static class ServiceAccess
{
    /// <summary>One line per kind of destination, and one per login user who cannot use the pgbouncer ports.</summary>
    public static IReadOnlyList<string> Explain(PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var users = settings.Users.Where(u => u.Login && !u.Replication && u.Name != settings.Dbsu).ToList();
        var pooled = users.Where(u => u.Pgbouncer).Select(u => u.Name).ToList();
        var direct = users.Where(u => !u.Pgbouncer).Select(u => u.Name).ToList();
        var throughPgbouncer = settings.Services.Where(r => r.Destination == "pgbouncer" && settings.PgbouncerEnabled).ToList();
        var toPostgres = settings.Services.Where(r => r.Destination == "postgres" || (r.Destination == "pgbouncer" && !settings.PgbouncerEnabled)).ToList();
        var lines = new List<string>();
        if (throughPgbouncer.Count > 0)
        {
            lines.Add($"service ports {Ports(throughPgbouncer)} go through pgbouncer: only users with pgbouncer: true can connect there ({Names(pooled)})");
        }

        if (toPostgres.Count > 0)
        {
            lines.Add($"service ports {Ports(toPostgres)} go to postgres directly: every login user pg_hba admits can connect there ({Names(users.Select(u => u.Name).ToList())})");
        }

        if (throughPgbouncer.Count > 0)
        {
            var instead = toPostgres.Count > 0 ? $"{Ports(toPostgres)} or {settings.Port.ToString(CultureInfo.InvariantCulture)}" : settings.Port.ToString(CultureInfo.InvariantCulture);
            foreach (var name in direct)
            {
                lines.Add($"user {name} has no pgbouncer: true, so it cannot connect through {Ports(throughPgbouncer)} (pgbouncer answers 'SASL authentication failed'): "
                    + $"connect on {instead}, or give it pgbouncer: true in pg_users");
            }
        }

        return lines;
    }

    private static string Ports(IEnumerable<PgServiceRoute> routes) =>
        string.Join(", ", routes.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Service.Port} ({r.Service.Name})")));

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}

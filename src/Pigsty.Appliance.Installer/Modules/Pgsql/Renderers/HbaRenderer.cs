using System.Net;
using System.Text;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>Expands Pigsty's hba rules (user, db, address and auth aliases) into pg_hba.conf and pgbouncer hba lines.</summary>
public static class HbaRenderer
{
    /// <summary>PostgreSQL's rules for this instance: each enabled rule as a comment line (its title) and its hba lines.</summary>
    public static IReadOnlyList<string> PostgresLines(PgsqlSettings settings) => Lines(settings, settings.HbaRules, pgbouncer: false);

    /// <summary>pgbouncer's rules (<c>auth_hba_file</c>), in the same shape.</summary>
    public static IReadOnlyList<string> PgbouncerLines(PgsqlSettings settings) => Lines(settings, settings.PgbHbaRules, pgbouncer: true);

    /// <summary>pg_hba.conf as Patroni writes it from <c>postgresql.pg_hba</c> (used by tests against a real PostgreSQL).</summary>
    public static string PostgresFile(PgsqlSettings settings) => File(settings, "pg_hba.conf", PostgresLines(settings));

    /// <summary>/etc/pgbouncer/pgb_hba.conf.</summary>
    public static string PgbouncerFile(PgsqlSettings settings) => File(settings, "pgb_hba.conf", PgbouncerLines(settings));

    private static string File(PgsqlSettings settings, string name, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder($"# {name} for {settings.Self.Name}, written by pigsty-appliance from pg_hba_rules\n");
        text.Append(Aliases(settings));
        foreach (var line in lines)
        {
            text.Append(line.StartsWith('#') ? "\n" : "").Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string Aliases(PgsqlSettings settings) =>
        $"# local: {PgsqlSettings.SocketDir}; admin: {settings.AdminIp}; infra: {string.Join(", ", settings.InfraIps)}\n"
        + $"# cluster: {string.Join(", ", settings.Members.Select(m => m.Address))}; intra: {string.Join(", ", HbaAddress.Intranet)}\n";

    private static List<string> Lines(PgsqlSettings settings, IReadOnlyList<HbaRule> rules, bool pgbouncer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lines = new List<string>();
        foreach (var rule in rules.Where(r => Applies(r, settings.Self)))
        {
            lines.Add($"# {(rule.Title.Length > 0 ? rule.Title : "rule")} [{rule.Role}]");
            if (rule.Addr is null)
            {
                lines.AddRange(rule.Raw);
                continue;
            }

            var user = rule.User switch
            {
                "${dbsu}" => settings.Dbsu,
                "${repl}" => settings.ReplicationUser,
                "${monitor}" => settings.MonitorUser,
                "${admin}" => settings.AdminUser,
                var other => other,
            };
            var method = HbaAddress.Methods[rule.Auth];
            if (pgbouncer && method == "ident")
            {
                method = "peer";
            }

            var type = rule.Auth is "ssl" or "cert" ? "hostssl" : "host";
            lines.AddRange(Addresses(rule.Addr, settings).Select(a => a is null
                ? $"{"local",-8} {rule.Db,-18} {user,-18} {"",-18} {method}"
                : $"{type,-8} {rule.Db,-18} {user,-18} {a,-18} {method}"));
        }

        return lines;
    }

    /// <summary>The addresses an alias stands for; null is the Unix socket (a <c>local</c> line).</summary>
    private static IEnumerable<string?> Addresses(string addr, PgsqlSettings settings) => addr switch
    {
        "local" => new string?[] { null },
        "localhost" => new string?[] { null, "127.0.0.1/32" },
        "admin" => [Host(settings.AdminIp)],
        "infra" => settings.InfraIps.Select(Host),
        "cluster" => settings.Members.Select(m => Host(m.Address)),
        "intra" or "intranet" => HbaAddress.Intranet,
        "world" or "all" => ["0.0.0.0/0"],
        _ => [addr.Contains('/', StringComparison.Ordinal) ? addr : addr + "/32"],
    };

    private static string? Host(IPAddress address) => $"{address}/32";

    private static bool Applies(HbaRule rule, PgMember self) => rule.Role switch
    {
        "default" or "common" => true,
        "primary" => self.Role == PgRole.Primary,
        "replica" => self.Role == PgRole.Replica,
        "offline" => self.Role == PgRole.Offline || self.OfflineQuery,
        _ => false,
    };
}

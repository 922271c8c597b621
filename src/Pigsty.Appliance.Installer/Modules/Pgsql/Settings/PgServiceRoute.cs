using System.Text.Json.Nodes;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>A service resolved against the cluster: the instances its selector picks, then those only its backup selector picks.</summary>
/// <param name="DefaultServer">HAProxy's default-server options: the service's <c>options</c>, else the <c>pg_rto</c> preset's checks.</param>
public sealed record PgServiceRoute(PgService Service, IReadOnlyList<PgServiceServer> Servers, string DefaultServer)
{
    /// <summary>Where the service leads once <c>dest: default</c> is resolved: <c>pgbouncer</c>, <c>postgres</c> or a port number.</summary>
    public string Destination { get; init; } = Service.Dest;

    /// <summary>
    /// Resolves <paramref name="service"/>: <c>dest: default</c> goes to <paramref name="defaultDest"/>; a member without pgbouncer
    /// (<c>pgbouncer_enabled: false</c>) serves pgbouncer destinations from PostgreSQL itself, so no service points at a closed port.
    /// </summary>
    public static PgServiceRoute Resolve(PgService service, IReadOnlyList<PgServiceMember> members, string defaultDest, string defaultServer)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(members);
        var dest = service.Dest == "default" ? defaultDest : service.Dest;
        var selected = members.Where(m => service.Selector.Matches(Fields(m))).ToList();
        var backups = members.Where(m => service.Backup.Matches(Fields(m))).ToList();
        var servers = selected.Concat(backups.Where(b => !selected.Contains(b)))
            .Select(m => new PgServiceServer(m.Instance.Name, m.Instance.Address, PortOf(m, dest), m.PatroniPort, m.Instance.Weight, backups.Contains(m)))
            .ToList();
        return new PgServiceRoute(service, servers, service.Options ?? defaultServer) { Destination = dest };
    }

    private static int PortOf(PgServiceMember member, string dest) => dest switch
    {
        "postgres" => member.Port,
        "pgbouncer" => member.PgbouncerPort ?? member.Port,
        _ => int.Parse(dest, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>What a selector sees: the instance's variables, and <c>inventory_hostname</c> as Ansible gives it.</summary>
    private static Func<string, JsonNode?> Fields(PgServiceMember member) => name => name == "inventory_hostname"
        ? JsonValue.Create(member.Instance.Address.ToString())
        : member.Var(name) is { } value ? YamlJson.ToNode(value) : null;
}

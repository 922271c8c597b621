using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>
/// An entry of <c>haproxy_services</c> with Pigsty's fields: <c>name</c>, <c>port</c> and <c>servers</c> (each <c>name</c>, <c>ip</c>,
/// <c>port</c>, optional <c>backup</c>, <c>weight</c>, <c>options</c>), and optional <c>ip</c> (<c>*</c>), <c>protocol</c> (tcp),
/// <c>maxconn</c> (10000), <c>balance</c> (roundrobin), <c>options</c> (lines) and <c>default</c> (the default-server line).
/// </summary>
public sealed partial record HaproxyService(string Name, int Port, string Ip, string Protocol, int MaxConn, string Balance,
    IReadOnlyList<string> Options, string Default, IReadOnlyList<HaproxyServer> Servers)
{
    /// <summary>Pigsty's default-server line for such services.</summary>
    public const string DefaultServer = "inter 3s fastinter 1s downinter 5s rise 3 fall 3 on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100";

    /// <summary>Reads one entry; each field is checked where it is written.</summary>
    public static HaproxyService Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = value.AsMapping();
        var name = Required(map, "name").AsString();
        if (!NamePattern().IsMatch(name))
        {
            throw map.Find("name")!.Error($"'{name}' is not a valid service name (letters, digits, '.', '-' and '_'; it names a file)");
        }

        var servers = (map.Find("servers")?.AsSequence().Items ?? []).Select(item =>
        {
            var server = item.AsMapping();
            var ip = Required(server, "ip").AsString();
            return new HaproxyServer(Required(server, "name").AsString(), ip, PortOf(Required(server, "port")),
                server.Find("backup") is { } backup && backup.AsBool(), server.Find("weight") is { } weight ? weight.AsInt() : null,
                server.Find("options")?.AsString() ?? "");
        }).ToList();
        return new HaproxyService(
            name,
            PortOf(Required(map, "port")),
            map.Find("ip")?.AsString() ?? "*",
            map.Find("protocol")?.AsString() ?? "tcp",
            map.Find("maxconn")?.AsInt() ?? 10000,
            map.Find("balance")?.AsString() ?? "roundrobin",
            map.Find("options") is { } options ? options.AsSequence().Items.Select(o => o.AsString()).ToList() : [],
            map.Find("default")?.AsString() ?? DefaultServer,
            servers);
    }

    private static YamlValue Required(YamlMapping map, string key) =>
        map.Find(key) is { } value and not YamlScalar { IsNull: true } ? value : throw map.Error($"missing '{key}'");

    private static int PortOf(YamlValue value)
    {
        var port = value.AsInt();
        return port is > 0 and < 65536 ? port : throw value.Error($"port {port} is out of range");
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex NamePattern();
}

using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>
/// An <c>infra_portal</c> entry with a domain (other than <c>home</c>): an nginx server for <c>domain</c> (and <c>domains</c>) that
/// proxies <c>endpoint</c> (host:port, <c>${admin_ip}</c> expanded; <c>scheme</c> http or https, <c>websocket</c>) or serves
/// <c>path</c>. Fields nginx would need more for (<c>conf</c>, <c>cert</c>, <c>auth</c>, <c>certbot</c>…) are named in <see cref="Ignored"/>.
/// </summary>
public sealed partial record PortalServer(string Name, IReadOnlyList<string> Domains, string? Endpoint, string? Path, string Scheme, bool Websocket,
    IReadOnlyList<string> Ignored)
{
    private static readonly string[] Known = ["domain", "domains", "endpoint", "path", "scheme", "websocket"];

    /// <summary>Reads one entry; null for entries without a domain (Pigsty renders no server for them).</summary>
    public static PortalServer? Parse(YamlEntry entry, string adminIp)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var map = entry.Value.AsMapping();
        if (map.Find("domain") is not { } domain || domain is YamlScalar { IsNull: true } || domain.AsString().Length == 0)
        {
            return null;
        }

        if (!FileName().IsMatch(entry.Key))
        {
            throw entry.Value.Error($"'{entry.Key}' cannot name an nginx server file (letters, digits, '-' and '_')");
        }

        var domains = new List<string> { domain.AsString() };
        domains.AddRange(map.Find("domains")?.AsSequence().Items.Select(d => d.AsString()) ?? []);
        foreach (var name in domains.Where(d => !DomainName().IsMatch(d)))
        {
            throw domain.Error($"'{name}' is not a domain name");
        }

        var endpoint = map.Find("endpoint")?.AsString().Replace("${admin_ip}", adminIp, StringComparison.Ordinal);
        var path = map.Find("path")?.AsString();
        if ((endpoint is null) == (path is null))
        {
            throw entry.Value.Error($"infra_portal entry '{entry.Key}' needs either endpoint (host:port to proxy) or path (a directory to serve)");
        }

        if (endpoint is not null && !HostPort().IsMatch(endpoint))
        {
            throw map.Find("endpoint")!.Error($"'{endpoint}' is not host:port");
        }

        var scheme = map.Find("scheme")?.AsString() ?? "http";
        if (scheme is not ("http" or "https"))
        {
            throw map.Find("scheme")!.Error($"scheme '{scheme}' is not http or https");
        }

        return new PortalServer(entry.Key, domains, endpoint, path, scheme, map.Find("websocket")?.AsBool() ?? false,
            map.Entries.Select(e => e.Key).Where(k => !Known.Contains(k, StringComparer.Ordinal)).ToList());
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex FileName();

    [GeneratedRegex("^(?=.{1,253}$)[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex DomainName();

    [GeneratedRegex("^[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}$")]
    private static partial Regex HostPort();
}

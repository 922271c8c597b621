using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>
/// /etc/resolv.conf as Pigsty's <c>node_dns_method</c> leaves it: <c>add</c> puts <c>node_dns_servers</c> first and keeps the other
/// lines, <c>overwrite</c> writes only ours; <c>node_dns_options</c> lines are added once either way.
/// </summary>
public static class ResolvConf
{
    public const string Path = "/etc/resolv.conf";

    public static string Render(string? existing, string method, IReadOnlyList<string> servers, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(options);
        var ours = servers.Select(s => $"nameserver {s}").ToList();
        var kept = method == "overwrite" ? []
            : (existing ?? "").Split('\n').Select(l => l.TrimEnd())
                .Where(l => l.Length > 0 && !ours.Contains(l) && !options.Contains(l) && !l.StartsWith("# written by pigsty-appliance", StringComparison.Ordinal))
                .ToList();
        var text = new StringBuilder("# written by pigsty-appliance (NODE): node_dns_method ").Append(method).Append('\n');
        foreach (var line in ours.Concat(kept.Where(l => l.StartsWith("nameserver", StringComparison.Ordinal))))
        {
            text.Append(line).Append('\n');
        }

        foreach (var line in kept.Where(l => !l.StartsWith("nameserver", StringComparison.Ordinal)).Concat(options))
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}

using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>
/// <c>--prefix</c>, <c>--gateway</c> and <c>--dns</c>: the static addressing a site's node.yml files carry, asked for the same way by
/// <c>site</c> and <c>deploy</c> (which write the same files) and checked once here.
/// </summary>
internal sealed class StaticAddressOptions
{
    private readonly Option<int?> _prefix = new("--prefix") { Description = "Static addressing: the prefix length of every node's inventory address (without it nodes use DHCP)" };
    private readonly Option<string?> _gateway = new("--gateway") { Description = "Static addressing: the default gateway (inside the nodes' subnet)" };
    private readonly Option<string[]> _dns = new("--dns") { Description = "Static addressing: a DNS server (repeatable)", AllowMultipleArgumentsPerToken = false };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_prefix);
        command.Options.Add(_gateway);
        command.Options.Add(_dns);
    }

    /// <summary>True when any of them was given.</summary>
    public bool Given(ParseResult parseResult) =>
        parseResult.GetValue(_prefix) is not null || parseResult.GetValue(_gateway) is not null || (parseResult.GetValue(_dns) ?? []).Length > 0;

    /// <summary>The site options for <paramref name="directory"/> with the addressing given; a prefix out of range or a gateway or DNS without one is a usage error.</summary>
    public SiteOptions Read(ParseResult parseResult, string directory)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var options = new SiteOptions(directory, parseResult.GetValue(_prefix),
            Address("--gateway", parseResult.GetValue(_gateway)), [.. (parseResult.GetValue(_dns) ?? []).Select(d => Address("--dns", d)!)]);
        if (options.Prefix is { } p && p is < 1 or > 32)
        {
            throw new UsageException($"--prefix {p}: an IPv4 prefix length is between 1 and 32");
        }

        if (options.Prefix is null && (options.Gateway is not null || options.Dns.Count > 0))
        {
            throw new UsageException("--gateway and --dns set static addressing, which needs --prefix (without it the nodes keep DHCP)");
        }

        return options;
    }

    private static IPAddress? Address(string option, string? text) =>
        text is null ? null
        : IpAddresses.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork ? address
        : throw new UsageException($"{option} '{text}' is not an IPv4 address");
}

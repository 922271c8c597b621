using System.Net;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>What <c>pigsty-appliance site</c> was asked for: the site directory and, for static addressing, prefix, gateway and DNS.</summary>
/// <param name="Prefix">The prefix of every node's inventory address; null keeps DHCP.</param>
public sealed record SiteOptions(string Directory, int? Prefix, IPAddress? Gateway, IReadOnlyList<IPAddress> Dns)
{
    /// <summary>The release the site's nodes run (<c>site --os</c>, default d12): the site is planned as for that release's bundle.</summary>
    public TargetPlatform Platform { get; init; } = TargetPlatform.Debian12;
}

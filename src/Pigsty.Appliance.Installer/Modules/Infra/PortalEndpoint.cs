namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>A component nginx puts behind the portal: the path, where it proxies to, and what the home page links to.</summary>
/// <param name="Location">nginx location, e.g. <c>/vmetrics/</c>.</param>
/// <param name="Upstream">proxy_pass target; ending with <c>/</c> strips the location prefix, without it the path is kept.</param>
/// <param name="Link">Where the home page sends a person (a page that works with Debian's builds).</param>
public sealed record PortalEndpoint(string Location, string Upstream, string Name, string Link, string Description)
{
    /// <summary>The component asks for its own login (Grafana), so nginx does not: its Authorization header would reach it.</summary>
    public bool OwnLogin { get; init; }
}

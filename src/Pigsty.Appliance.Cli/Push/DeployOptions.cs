using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>What one deploy run pushes and how.</summary>
/// <param name="InventoryPath">The inventory every host gets as its seed's pigsty.yml.</param>
/// <param name="Site">The site material (each host gets only its own share).</param>
/// <param name="Installer">The self-contained pigsty-appliance to put on each host (the one that runs deploy, by default).</param>
/// <param name="Bundle">The bundle (.tgz or .tar.zst) to unpack at /www/pigsty; null when every host already holds one.</param>
/// <param name="Ssh">Key, known_hosts and trust on first use.</param>
/// <param name="LogDirectory">Where each host's log and status.json go.</param>
/// <param name="Headroom">Free space a host needs besides the bundle and the installer (the packages it installs, logs, data).</param>
public sealed record DeployOptions(string InventoryPath, SiteResult Site, string Installer, string? Bundle, SshOptions Ssh, string LogDirectory, long Headroom)
{
    /// <summary>The os-release file read on each host: /etc/os-release; the tests point it at a file they write.</summary>
    public string OsRelease { get; init; } = "/etc/os-release";

    /// <summary>The release <see cref="Bundle"/> is built for, when the caller has read it already; null = read from the bundle (or each host's repo).</summary>
    public TargetPlatform? Platform { get; init; }
}

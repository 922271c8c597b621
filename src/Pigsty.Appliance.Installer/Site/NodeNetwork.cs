using System.Net;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>How the installer sees this machine's network: its wired NICs and the addresses its interfaces hold (tests give their own).</summary>
public sealed record NodeNetwork(Func<IReadOnlyList<WiredNic>> Nics, Func<IReadOnlyList<(string Interface, IPAddress Address)>> Addresses)
{
    /// <summary>The real machine: sysfs and the kernel's interface list.</summary>
    public static NodeNetwork Local { get; } = new(() => WiredNic.Read(), NodeIdentity.Interfaces);
}

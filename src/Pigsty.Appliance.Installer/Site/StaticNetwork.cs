using System.Net;
using System.Text;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>
/// The node's inventory address taken statically from its seed, on a network with no DHCP: a systemd-networkd file for its wired NIC
/// (sorting before the image's DHCP file, so it wins on that NIC), applied with networkctl, and waited for before the node plans.
/// </summary>
public static class StaticNetwork
{
    /// <summary>How long the address may take to appear once networkd has the file.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The NIC the address goes on: the one with the seed's MAC, else the first wired NIC; <paramref name="source"/> names the file errors blame.</summary>
    public static WiredNic Choose(SiteNode node, IReadOnlyList<WiredNic> nics, string? source = null)
    {
        source ??= SeedMedia.SiteDirectory + "/" + SeedMedia.SiteNode;
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(nics);
        var names = nics.Count == 0 ? "none" : string.Join(", ", nics.Select(n => $"{n.Name} {n.Mac}"));
        return node.Mac is { } mac
            ? nics.FirstOrDefault(n => string.Equals(n.Mac, mac, StringComparison.OrdinalIgnoreCase))
                ?? throw new InputException(source, $"no wired NIC of this machine has MAC {mac} (it has {names})")
            : nics.FirstOrDefault() ?? throw new InputException(source,
                $"static address {node.Address}/{node.Prefix} given, but this machine has no wired NIC");
    }

    /// <summary>The .network file: matched by the NIC's MAC, the address with its prefix, the gateway and DNS servers; no DHCP.</summary>
    public static string Render(SiteNode node, WiredNic nic)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(nic);
        var text = new StringBuilder("# written by pigsty-appliance from the seed's site material: this node's inventory address, static (no DHCP)\n")
            .Append("[Match]\nMACAddress=").Append(nic.Mac.ToLowerInvariant()).Append("\n\n[Network]\n")
            .Append("Address=").Append(node.Address).Append('/').Append(node.Prefix).Append('\n');
        if (node.Gateway is not null)
        {
            text.Append("Gateway=").Append(node.Gateway).Append('\n');
        }

        foreach (var dns in node.DnsServers)
        {
            text.Append("DNS=").Append(dns).Append('\n');
        }

        return text.Append("DHCP=no\nIPv6AcceptRA=no\n").ToString();
    }

    /// <summary>
    /// Writes the file, has networkd apply it to the NIC, and waits until the NIC holds the address (polled, with a deadline):
    /// the node must be reachable at its inventory address before it plans and before its peers look for it.
    /// </summary>
    public static async Task ApplyAsync(IMachine machine, SiteNode node, WiredNic nic, Func<IReadOnlyList<(string Interface, IPAddress Address)>> addresses,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(time);
        if (await machine.Files.WriteAsync(NodeLayout.StaticNetwork, Render(node, nic), FileSpec.Config, cancellationToken))
        {
            await machine.Processes.RunAsync(ProcessSpec.Of("networkctl", "reload"), cancellationToken);
            await machine.Processes.RunAsync(ProcessSpec.Of("networkctl", "reconfigure", nic.Name), cancellationToken);
        }

        var until = time.GetUtcNow() + Deadline;
        while (!addresses().Any(a => a.Interface == nic.Name && a.Address.Equals(node.Address)))
        {
            if (time.GetUtcNow() > until)
            {
                throw new InstallException("site.network", $"{nic.Name} ({nic.Mac}) did not take {node.Address}/{node.Prefix} within {Deadline.TotalSeconds:0} s "
                    + $"of writing {NodeLayout.StaticNetwork}; see networkctl status {nic.Name}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
    }
}

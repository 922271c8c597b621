using System.Net;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// The network interface a VIP goes on (<c>pg_vip_interface</c>, <c>vip_interface</c>), resolved on the node when the step runs:
/// <c>auto</c> (or unset) means the interface holding the node's inventory address, as in Pigsty. A named interface the node does not
/// have (e.g. v3's default <c>eth1</c> on a machine whose NIC is <c>ens3</c>) falls back to that interface too, with a note: the VIP
/// must be on the LAN the inventory names the node by, and interface names differ between machines of one inventory.
/// </summary>
public static class VipInterface
{
    /// <summary>True when <paramref name="wanted"/> asks for the interface to be found (unset, empty or <c>auto</c>).</summary>
    public static bool IsAuto(string? wanted) => string.IsNullOrWhiteSpace(wanted) || wanted.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs <c>ip -o addr show</c> and <c>ip -o link show</c> on the node and picks the interface; <paramref name="parameter"/> names the field in messages.</summary>
    public static async Task<string> ResolveAsync(StepContext context, string parameter, string? wanted, IPAddress node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await context.Machine.Processes.RunAsync(ProcessSpec.Of("ip", "-o", "addr", "show"), cancellationToken);
        var links = await context.Machine.Processes.RunAsync(ProcessSpec.Of("ip", "-o", "link", "show"), cancellationToken);
        var (name, note) = Pick(parameter, wanted, node, addresses.StandardOutput, links.StandardOutput);
        if (note is not null)
        {
            await context.Trace.NoteAsync(note, cancellationToken);
        }

        return name;
    }

    /// <summary>The choice from the two listings, and a note when a named interface was replaced.</summary>
    public static (string Name, string? Note) Pick(string parameter, string? wanted, IPAddress node, string addressListing, string linkListing)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!IsAuto(wanted) && Names(linkListing).Contains(wanted!.Trim()))
        {
            return (wanted.Trim(), null);
        }

        var holder = Addresses(addressListing).FirstOrDefault(a => a.Address.Equals(node)).Name
            ?? throw new InstallException(parameter, $"no network interface holds this node's inventory address {node}, so the VIP has no interface: "
                + $"set {parameter} to the interface of the node's LAN");
        return (holder, IsAuto(wanted) ? null : $"{parameter} '{wanted!.Trim()}' does not exist on this node: the VIP goes on {holder}, which holds {node}");
    }

    /// <summary>Interface names of <c>ip -o link show</c> lines (<c>2: ens3: &lt;…&gt;</c>; a veth's <c>@peer</c> suffix dropped).</summary>
    private static HashSet<string> Names(string listing) => listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split(':', 3)).Where(p => p.Length == 3).Select(p => Bare(p[1])).ToHashSet(StringComparer.Ordinal);

    /// <summary>(interface, address) of <c>ip -o addr show</c> lines (<c>2: ens3    inet 10.10.10.11/24 brd …</c>).</summary>
    private static IEnumerable<(string Name, IPAddress Address)> Addresses(string listing)
    {
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && fields[2] is "inet" or "inet6" && IPAddress.TryParse(fields[3].Split('/')[0], out var address))
            {
                yield return (Bare(fields[1]), address);
            }
        }
    }

    private static string Bare(string name) => name.Trim().TrimEnd(':').Split('@')[0];
}

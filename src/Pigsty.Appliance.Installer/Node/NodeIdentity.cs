using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>Works out which inventory host this machine is, from its own addresses.</summary>
public static class NodeIdentity
{
    /// <summary>IPv4 addresses of the interfaces that are up, loopback excluded, in interface order.</summary>
    public static IReadOnlyList<IPAddress> LocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();

    /// <summary>The address of the interface holding the default route (from <paramref name="routeTable"/>, /proc/net/route), else the first local one.</summary>
    public static IPAddress? PrimaryAddress(string routeTable, IReadOnlyList<(string Interface, IPAddress Address)> interfaces)
    {
        ArgumentNullException.ThrowIfNull(routeTable);
        ArgumentNullException.ThrowIfNull(interfaces);
        var defaultInterface = routeTable.Split('\n').Skip(1)
            .Select(l => l.Split('\t', StringSplitOptions.TrimEntries))
            .Where(f => f.Length > 7 && f[1] == "00000000" && int.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) && mask == 0)
            .Select(f => f[0])
            .FirstOrDefault();
        return interfaces.FirstOrDefault(i => i.Interface == defaultInterface).Address ?? interfaces.FirstOrDefault().Address;
    }

    /// <summary>This machine's interfaces and their IPv4 addresses.</summary>
    public static IReadOnlyList<(string Interface, IPAddress Address)> Interfaces() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(a => (i.Name, a.Address)))
            .Where(x => x.Address.AddressFamily == AddressFamily.InterNetwork)
            .ToList();

    /// <summary>The inventory host among <paramref name="local"/>; an inventory that does not list this node is an input error.</summary>
    public static InventoryHost Identify(PigstyInventory inventory, IReadOnlyList<IPAddress> local)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(local);
        var matches = inventory.Hosts.Where(h => local.Contains(h.Address)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InputException(inventory.Source,
                $"none of this node's addresses ({Join(local)}) is a host of the inventory ({Join(inventory.Hosts.Select(h => h.Address))})"),
            _ => throw new InputException(inventory.Source,
                $"this node has several addresses listed as inventory hosts ({Join(matches.Select(h => h.Address))}); a node must appear once"),
        };
    }

    private static string Join(IEnumerable<IPAddress> addresses)
    {
        var list = addresses.Select(a => a.ToString()).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}

using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>
/// A port a module serves to other hosts of the site (on the node's address or all addresses, never loopback only): the
/// firewall opens these to the site's networks, and a boot test accepts no other listener beyond loopback.
/// </summary>
/// <param name="Component">What listens, e.g. <c>node_exporter</c>.</param>
/// <param name="DefaultPort">Pigsty's default port.</param>
/// <param name="Variable">The inventory parameter that moves it (e.g. <c>node_exporter_port</c>), or null when it is fixed.</param>
public sealed record ServicePort(string Component, int DefaultPort, string? Variable = null)
{
    /// <summary>UDP instead of TCP (DNS answers on both: it is listed twice).</summary>
    public bool Udp { get; init; }

    /// <summary>Every port the host <paramref name="address"/> serves to the site: those of the modules the inventory gives it, resolved with its variables.</summary>
    public static IReadOnlyList<(ServicePort Port, int Number)> ServedBy(IEnumerable<ModuleDescriptor> modules, PigstyInventory inventory, System.Net.IPAddress address, VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(modules);
        return modules.Where(m => m.RunsOn(inventory, address)).SelectMany(m => m.Ports.Concat(m.InventoryPorts(vars)).Select(p => (p, p.Resolve(vars)))).ToList();
    }

    /// <summary>The port with the inventory's value of <see cref="Variable"/> applied.</summary>
    public int Resolve(VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return Variable is null ? DefaultPort : vars.Int(Variable, DefaultPort);
    }
}

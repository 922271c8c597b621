namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>A NIC on a tap device QEMU opens itself (no helper scripts): <paramref name="Interface"/> must exist where QEMU runs.</summary>
/// <param name="Interface">The tap device, e.g. <c>tap0</c>, already on the test's bridge.</param>
/// <param name="Mac">The guest's MAC address, fixed so a test can tell its guests apart in the bridge's forwarding table.</param>
public sealed record TapNic(string Interface, string Mac);

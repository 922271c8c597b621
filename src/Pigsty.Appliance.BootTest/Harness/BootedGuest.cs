using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>A running guest as the host sees it: its console and the loopback port each guest port is forwarded to.</summary>
public sealed class BootedGuest(QemuVm vm)
{
    public QemuVm Vm { get; } = vm;

    /// <summary>The host port that reaches <paramref name="guestPort"/>.</summary>
    public int Port(int guestPort) => Vm.Forwards.Single(f => f.GuestPort == guestPort).HostPort;

    /// <summary>An http URL on the host that reaches the guest's <paramref name="guestPort"/>.</summary>
    public Uri Http(int guestPort, string path) => new($"http://127.0.0.1:{Port(guestPort)}{path}");
}

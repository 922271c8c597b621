using System.Net;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>One VM of the HA run: its inventory address, its machine (disk overlay and seed volume), and the QEMU now running it, if any.</summary>
internal sealed class HaNode(IPAddress host, BootSession session)
{
    public IPAddress Host { get; } = host;

    public BootSession Session { get; } = session;

    /// <summary>The running VM; null while its power is off.</summary>
    public QemuVm? Vm { get; set; }

    /// <summary>Powers the machine on (same disk, same seed).</summary>
    public async Task<QemuVm> PowerOnAsync(CancellationToken cancellationToken) => Vm = await Session.BootAsync(cancellationToken);

    /// <summary>Cuts its power with SIGKILL to QEMU.</summary>
    public async Task KillAsync()
    {
        if (Vm is { } vm)
        {
            await vm.KillAsync();
            await vm.DisposeAsync();
            Vm = null;
        }
    }
}

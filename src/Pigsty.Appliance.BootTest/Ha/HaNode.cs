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

    /// <summary>Stops its QEMU (SIGTERM, then kill) at the end of the run.</summary>
    public async Task PowerOffAsync()
    {
        if (Vm is { } vm)
        {
            Vm = null;
            await vm.DisposeAsync();
        }
    }

    /// <summary>Cuts its power with SIGKILL to QEMU; returns when (UTC) the signal had been sent.</summary>
    public async Task<DateTime> KillAsync()
    {
        if (Vm is not { } vm)
        {
            return DateTime.UtcNow;
        }

        var killed = await vm.KillAsync();
        await vm.DisposeAsync();
        Vm = null;
        return killed;
    }
}

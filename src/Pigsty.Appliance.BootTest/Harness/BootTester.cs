using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>Boots an image offline under QEMU, follows first boot on the serial console, then lets the caller probe the guest.</summary>
public sealed class BootTester(IProcessRunner runner, QemuRunner qemu, ILogger<BootTester> logger)
{
    /// <summary>Host-side checks of a guest, given its session and the first-boot result line (null when the deadline passed first).</summary>
    public delegate Task<IReadOnlyList<CheckResult>> Checks(BootSession session, BootedGuest guest, string? result, CancellationToken cancellationToken);

    /// <summary>A new machine for <paramref name="options"/>: overlay disk and seed, not yet powered on.</summary>
    public Task<BootSession> SessionAsync(string name, BootTestOptions options, CancellationToken cancellationToken) =>
        BootSession.CreateAsync(runner, qemu, name, options, cancellationToken);

    /// <summary>Boots a new machine, waits for a first-boot milestone of <see cref="BootTestOptions.Until"/>, runs <paramref name="checks"/>.</summary>
    /// <remarks>The checks run while the VM is up; they may reboot it through the session (the VM given is then stopped by them).</remarks>
    public async Task<BootTestRun> RunAsync(string name, BootTestOptions options, Checks checks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(checks);
        var session = await SessionAsync(name, options, cancellationToken);
        await using var vm = await session.BootAsync(cancellationToken);
        var line = await WaitAsync(vm, options.Until, options.Deadline, cancellationToken);
        logger.LogInformation("{Name}: first boot {Outcome} after {Elapsed}", name, line?.Text ?? "did not finish", line?.Elapsed);
        var phases = Phases(vm);
        var results = await checks(session, new BootedGuest(vm), line?.Text, cancellationToken);
        var passed = line is not null && results.All(c => c.Passed || c.Skipped);
        return new BootTestRun(name, options.Firmware.ToString().ToLowerInvariant(), vm.Accelerator.ToString().ToLowerInvariant(), passed,
            phases, line?.Text, results, session.SerialLog(1))
        {
            Timeline = FirstBootTimeline.Of(vm.Lines),
        };
    }

    /// <summary>Waits for the first console line marking one of <paramref name="milestones"/>.</summary>
    public static Task<ConsoleLine?> WaitAsync(QemuVm vm, IReadOnlyList<string> milestones, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return vm.WaitForLineAsync(l => FirstBootMilestone.Of(l) is { } m && milestones.Contains(m), deadline, cancellationToken);
    }

    /// <summary>Boot phases QEMU's runner recognises plus first-boot milestones, in seconds from QEMU's start.</summary>
    public static Dictionary<string, double> Phases(QemuVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var phases = vm.Timeline.Phases.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => Math.Round(p.Value.Elapsed.TotalSeconds, 1));
        foreach (var line in vm.Lines)
        {
            if (FirstBootMilestone.Of(line.Text) is { } milestone)
            {
                phases.TryAdd(milestone, Math.Round(line.Elapsed.TotalSeconds, 1));
            }
        }

        return phases;
    }
}

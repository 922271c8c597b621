using System.Diagnostics;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>
/// Finds out whether KVM really works: /dev/kvm can exist and still fail on the first FPU instruction (nested setups).
/// The probe runs a 64 KiB firmware of our own under KVM (no SeaBIOS: it alone takes seconds there) that executes x87
/// instructions and then exits QEMU through isa-debug-exit.
/// </summary>
/// <param name="kvmDevice">The KVM device to look for; tests name a file of their own instead of the host's.</param>
public sealed class AcceleratorProbe(IProcessRunner runner, string kvmDevice = AcceleratorProbe.KvmDevice)
{
    /// <summary>Where KVM lives on Linux.</summary>
    public const string KvmDevice = "/dev/kvm";

    /// <summary>isa-debug-exit turns the byte written to its port into exit status (byte &lt;&lt; 1) | 1: 0x21 gives 67.</summary>
    private const int SuccessExitCode = 67;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, AcceleratorProbeResult> Verdicts = new(StringComparer.Ordinal);

    /// <summary>The probe's verdict, computed once per process (and device).</summary>
    public async Task<AcceleratorProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (!Verdicts.TryGetValue(kvmDevice, out var verdict))
            {
                Verdicts[kvmDevice] = verdict = await RunProbeAsync(cancellationToken);
            }

            return verdict;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<AcceleratorProbeResult> RunProbeAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(kvmDevice))
        {
            return new AcceleratorProbeResult(Accelerator.Tcg, $"{kvmDevice} does not exist", clock.Elapsed);
        }

        using var work = new ScratchDirectory("kvm-probe");
        var firmware = work.File("probe.bios");
        await File.WriteAllBytesAsync(firmware, Firmware(), cancellationToken);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? failure = null;
        var spec = new ProcessSpec(QemuCommand.Executable,
        [
            "-accel", "kvm", "-machine", "pc", "-m", "16", "-nodefaults", "-no-user-config", "-display", "none",
            "-serial", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-bios", firmware,
        ])
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromSeconds(30),
            KillGrace = TimeSpan.FromSeconds(2),
            OnErrorLine = line =>
            {
                // A failed KVM run pauses the guest instead of exiting: stop at once rather than wait for the timeout.
                if (line.Contains("KVM internal error", StringComparison.Ordinal) || line.Contains("emulation failure", StringComparison.Ordinal)
                    || line.Contains("failed to initialize kvm", StringComparison.OrdinalIgnoreCase))
                {
                    failure ??= line.Trim();
                    failed.Cancel();
                }
            },
        };
        try
        {
            var result = await runner.RunAsync(spec, failed.Token);
            return result.ExitCode == SuccessExitCode
                ? new AcceleratorProbeResult(Accelerator.Kvm, "KVM ran the probe guest", clock.Elapsed)
                : new AcceleratorProbeResult(Accelerator.Tcg,
                    $"KVM probe exited with code {result.ExitCode}: {result.StandardError.Trim().Split('\n')[^1]}", clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AcceleratorProbeResult(Accelerator.Tcg, $"KVM is present but broken: {failure}", clock.Elapsed);
        }
        catch (ToolException e)
        {
            return new AcceleratorProbeResult(Accelerator.Tcg, $"KVM probe did not finish: {e.Message}", clock.Elapsed);
        }
    }

    /// <summary>
    /// A firmware image mapped below 1 MiB at F000:0000: fwait; fninit; fld1; out 0xF4, 0x21 (isa-debug-exit); hlt in a loop.
    /// The CPU starts at F000:FFF0, where a far jump leads to that code.
    /// </summary>
    private static byte[] Firmware()
    {
        var image = new byte[64 * 1024];
        byte[] code = [0x9B, 0xDB, 0xE3, 0xD9, 0xE8, 0xBA, 0xF4, 0x00, 0xB0, 0x21, 0xEE, 0xF4, 0xEB, 0xFD];
        code.CopyTo(image, 0);
        byte[] resetVector = [0xEA, 0x00, 0x00, 0x00, 0xF0];
        resetVector.CopyTo(image, 0xFFF0);
        return image;
    }
}

using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Boots disk images under QEMU with OVMF or SeaBIOS, KVM when it works and TCG otherwise, without network beyond hostfwd.</summary>
public sealed class QemuRunner(IProcessRunner runner, AcceleratorProbe probe, ILogger<QemuRunner> logger)
{
    /// <summary>Starts the VM and returns at once; dispose the result to stop it.</summary>
    public async Task<QemuVm> StartAsync(QemuBootOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var file in RequiredFiles(options).Where(f => !File.Exists(f)))
        {
            throw new InputException(file, "cannot boot: the file does not exist");
        }

        var accelerator = options.Accelerator;
        if (accelerator == Accelerator.Auto)
        {
            var verdict = await probe.ProbeAsync(cancellationToken);
            logger.LogInformation("accelerator {Accelerator}: {Reason}", verdict.Accelerator, verdict.Reason);
            accelerator = verdict.Accelerator;
        }

        var work = new ScratchDirectory("qemu");
        string? vars = null;
        QemuVm vm;
        try
        {
            if (options.Firmware == Firmware.Uefi)
            {
                // Each boot gets its own variable store, so no run sees boot entries another one left.
                vars = work.File("OVMF_VARS.fd");
                File.Copy(options.OvmfVarsTemplatePath, vars);
            }

            vm = new QemuVm(options, accelerator, work, logger);
        }
        catch
        {
            work.Dispose();
            throw;
        }

        var spec = QemuCommand.Build(options, accelerator, vars, vm.PidFile) with
        {
            OnOutputLine = vm.OnOutput,
            Input = vm.Input,
            OnErrorLine = line => logger.LogDebug("qemu: {Line}", line),
            PartialLineAfter = TimeSpan.FromSeconds(1),
            KillGrace = TimeSpan.FromSeconds(5),
        };
        logger.LogInformation("booting {Image} with {Firmware}: {Command}", options.ImagePath, options.Firmware, spec.Display());
        vm.Start(token => runner.RunAsync(spec, token));
        return vm;
    }

    /// <summary>Boots, waits until <see cref="QemuBootOptions.Marker"/> appears (or a login prompt without a marker) or the deadline passes, then stops the VM.</summary>
    public async Task<BootResult> BootAsync(QemuBootOptions options, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var awaited = options.Marker is null ? BootPhase.Login : BootPhase.Marker;
        await using var vm = await StartAsync(options, cancellationToken);
        var line = await vm.WaitForPhaseAsync(awaited, deadline, cancellationToken);
        return new BootResult(line is not null, awaited, vm.Accelerator, vm.Timeline, vm.Lines);
    }

    private static IEnumerable<string> RequiredFiles(QemuBootOptions options)
    {
        yield return options.ImagePath;
        foreach (var drive in options.ExtraDrives)
        {
            yield return drive.Path;
        }

        if (options.Firmware == Firmware.Uefi)
        {
            yield return options.OvmfCodePath;
            yield return options.OvmfVarsTemplatePath;
        }
    }
}

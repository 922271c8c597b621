using Pigsty.Appliance.Core.Pipelines;
using System.Diagnostics;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Disk;

/// <summary>
/// Turns a root filesystem tree into a GPT disk that boots with UEFI and BIOS: BIOS boot partition, ESP, ext4 root.
/// Steps: gpt → ext4 → esp (GRUB EFI) → bios (GRUB core + boot sector); the image appears only when all succeed.
/// </summary>
public sealed class BootableDiskBuilder(IProcessRunner runner)
{
    /// <summary>Builds the disk; returns its layout, GRUB config and per-step timings.</summary>
    public async Task<BootableDisk> BuildAsync(BootableDiskOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (kernel, initrd) = KernelLocator.Find(options.RootDirectory);
        var grub = GrubConfig.Single(options.RootFilesystemUuid, options.MenuTitle, kernel, initrd,
            KernelCommandLine.For(options.RootFilesystemUuid, options.ExtraKernelParameters, options.ConsoleArguments)) with
        {
            TimeoutSeconds = options.GrubTimeoutSeconds,
        };
        var layout = new GptLayout(options.DiskSizeBytes,
        [
            new PartitionSpec(BootableDisk.BiosBootPartition, GptPartitionTypes.BiosBoot, options.BiosBootSizeBytes, GptAttributes.LegacyBiosBootable),
            new PartitionSpec(BootableDisk.EspPartition, GptPartitionTypes.EfiSystem, options.EspSizeBytes),
            new PartitionSpec(BootableDisk.RootPartition, GptPartitionTypes.LinuxRootX8664, null),
        ], options.Guids);

        var directory = Path.GetDirectoryName(Path.GetFullPath(options.ImagePath))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(options.ImagePath)}.{Guid.NewGuid():N}.tmp");
        var steps = new List<StepTiming>();
        var images = new GrubImageBuilder(runner);
        var fat = new FatImageBuilder(runner);
        try
        {
            var disk = Step(steps, "gpt", () => GptWriter.Write(temp, layout));
            await StepAsync(steps, "ext4", () => new Ext4Builder(runner).BuildAsync(disk.Partition(BootableDisk.RootPartition).Region(temp),
                new Ext4Options(options.RootFilesystemUuid, options.RootLabel, options.RootDirectory, options.SourceDateEpoch), cancellationToken));
            await StepAsync(steps, "esp", () => new GrubEfiInstaller(images, fat).InstallAsync(disk.Partition(BootableDisk.EspPartition).Region(temp), grub,
                new FatOptions("ESP", options.Guids.NextVolumeId("fat:esp"), [], 32, options.SourceDateEpoch), cancellationToken));
            await StepAsync(steps, "bios", () => new GrubBiosInstaller(images).InstallAsync(temp, disk.Partition(BootableDisk.BiosBootPartition), grub,
                options.SourceDateEpoch, cancellationToken));
            File.Move(temp, options.ImagePath, overwrite: true);
            return new BootableDisk(options.ImagePath, disk, grub, steps);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static T Step<T>(List<StepTiming> steps, string name, Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        steps.Add(new StepTiming(name, clock.Elapsed));
        return result;
    }

    private static async Task StepAsync(List<StepTiming> steps, string name, Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        steps.Add(new StepTiming(name, clock.Elapsed));
    }
}

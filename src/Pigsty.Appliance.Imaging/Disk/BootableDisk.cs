using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Disk;

/// <summary>A built bootable disk: its partition table, the GRUB config both firmware paths embed, and how long each step took.</summary>
public sealed record BootableDisk(string ImagePath, GptDisk Disk, GrubConfig Grub, IReadOnlyList<StepTiming> Steps)
{
    /// <summary>Partition names of the layout <see cref="BootableDiskBuilder"/> writes.</summary>
    public const string BiosBootPartition = "BIOS boot";

    /// <summary>Name of the EFI system partition.</summary>
    public const string EspPartition = "EFI system";

    /// <summary>Name of the root partition.</summary>
    public const string RootPartition = "root";
}

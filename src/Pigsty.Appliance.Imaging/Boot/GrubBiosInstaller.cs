using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>Makes a GPT image boot from BIOS: GRUB's core image in the BIOS boot partition and its boot code in the MBR.</summary>
public sealed class GrubBiosInstaller(GrubImageBuilder images)
{
    /// <summary>Builds the i386-pc core image for <paramref name="config"/> and writes it and the boot sector into the image.</summary>
    public async Task<BiosBootSectors> InstallAsync(string imagePath, GptPartition biosBoot, GrubConfig config, long? sourceDateEpoch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(biosBoot);
        if (biosBoot.Type != GptPartitionTypes.BiosBoot)
        {
            throw new ArgumentException($"partition {biosBoot.Number} ({biosBoot.Name}) is not a BIOS boot partition (type {biosBoot.Type})", nameof(biosBoot));
        }

        var target = GrubTarget.I386Pc;
        using var work = new ScratchDirectory("grub-bios");
        var corePath = work.File("core.img");
        await images.BuildAsync(target, config, corePath, sourceDateEpoch, cancellationToken);
        var boot = await File.ReadAllBytesAsync(Path.Combine(target.ModuleDirectory, "boot.img"), cancellationToken);
        var core = await File.ReadAllBytesAsync(corePath, cancellationToken);
        await using var disk = new FileStream(imagePath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var mbr = new byte[512];
        disk.ReadExactly(mbr);
        var sectors = BiosBootCode.Patch(boot, mbr, core, biosBoot.FirstLba, biosBoot.SectorCount);
        disk.Position = biosBoot.OffsetBytes;
        await disk.WriteAsync(sectors.Core, cancellationToken);
        disk.Position = 0;
        await disk.WriteAsync(sectors.Mbr, cancellationToken);
        disk.Flush(flushToDisk: true);
        return sectors;
    }
}

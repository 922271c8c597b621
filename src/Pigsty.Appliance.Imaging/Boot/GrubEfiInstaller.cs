using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Regions;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>Makes an ESP boot from UEFI: a FAT32 filesystem with GRUB at the removable-media fallback path.</summary>
public sealed class GrubEfiInstaller(GrubImageBuilder images, FatImageBuilder fat)
{
    /// <summary>Where UEFI firmware looks when it has no boot entry of its own (UEFI 2.10, 3.5.1.1).</summary>
    public const string FallbackPath = "EFI/BOOT/BOOTX64.EFI";

    /// <summary>Builds GRUB's x86_64-efi image for <paramref name="config"/> into a file; returns its size in bytes.</summary>
    public Task<long> BuildAsync(GrubConfig config, string outputPath, long? sourceDateEpoch, CancellationToken cancellationToken) =>
        images.BuildAsync(GrubTarget.X8664Efi, config, outputPath, sourceDateEpoch, cancellationToken);

    /// <summary>Formats <paramref name="esp"/> as FAT (32 unless <paramref name="options"/> says otherwise) with GRUB at <see cref="FallbackPath"/> and the options' own files.</summary>
    public async Task<long> InstallAsync(DiskRegion esp, GrubConfig config, FatOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var work = new ScratchDirectory("grub-efi");
        var loader = work.File("BOOTX64.EFI");
        var size = await BuildAsync(config, loader, options.SourceDateEpoch, cancellationToken);
        await fat.BuildAsync(esp, options with
        {
            FatBits = options.FatBits ?? 32,
            Files = [new FatFile(FallbackPath, loader), .. options.Files],
        }, cancellationToken);
        return size;
    }
}

using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Iso;

/// <summary>
/// A directory tree made into a bootable ISO by grub-mkrescue: El Torito entries for BIOS (GRUB's i386-pc core) and UEFI (an EFI
/// system partition image with GRUB's x86_64-efi), plus the MBR and GPT a USB stick needs once the file is <c>dd</c>'d onto it.
/// </summary>
public static class HybridIso
{
    /// <summary>Writes <paramref name="iso"/> from <paramref name="tree"/> (which holds <c>boot/grub/grub.cfg</c>); nothing is left at that path on a failure.</summary>
    public static async Task MakeAsync(IProcessRunner runner, string tree, string iso, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var temp = $"{iso}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Options after -- go to xorriso's mkisofs emulation: the volume id the live system and GRUB find the medium by.
            await runner.RunAsync(new ProcessSpec("grub-mkrescue", ["--output", temp, tree, "--", "-volid", InstallMedium.VolumeId])
            {
                Timeout = TimeSpan.FromMinutes(20),
            }, cancellationToken);
            File.Move(temp, iso, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

namespace Pigsty.Appliance.Imaging.Definition;

/// <summary>Boot firmware an image supports; one image carries both.</summary>
public enum Firmware
{
    /// <summary>UEFI, booting <c>\EFI\BOOT\BOOTX64.EFI</c> from the ESP.</summary>
    Uefi,

    /// <summary>Legacy BIOS, booting GRUB's i386-pc core image from the BIOS boot partition.</summary>
    Bios,
}

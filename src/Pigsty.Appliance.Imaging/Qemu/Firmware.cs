namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Which firmware a VM boots with.</summary>
public enum Firmware
{
    /// <summary>OVMF (UEFI), booting \EFI\BOOT\BOOTX64.EFI from the ESP.</summary>
    Uefi,

    /// <summary>SeaBIOS (legacy BIOS), booting the MBR boot code.</summary>
    Bios,
}

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Milestones of a boot recognised on the serial console, in the order they normally happen.</summary>
public enum BootPhase
{
    /// <summary>The firmware printed something (OVMF's boot manager; SeaBIOS prints nothing on serial).</summary>
    Firmware,

    /// <summary>GRUB drew its menu or started loading Linux.</summary>
    Bootloader,

    /// <summary>The kernel printed <c>Linux version</c>.</summary>
    Kernel,

    /// <summary>systemd in the real root announced itself.</summary>
    Userspace,

    /// <summary>The caller's marker line appeared.</summary>
    Marker,

    /// <summary>A getty printed a login prompt.</summary>
    Login,
}

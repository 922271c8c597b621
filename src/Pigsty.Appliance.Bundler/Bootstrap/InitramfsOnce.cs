namespace Pigsty.Appliance.Bundler.Bootstrap;

/// <summary>
/// Left to itself, dpkg builds a new root's initramfs twice: the kernel's postinst creates it, then a later package's files fire
/// initramfs-tools' trigger and it is built again. Each build took about 85 s of the image's 315 s rootfs stage here (MODULES=most).
/// The image builds it once, after every package is configured; the bundle's proof, which boots nothing, does not build it.
/// </summary>
public static class InitramfsOnce
{
    /// <summary>
    /// <c>INITRD=No</c> makes the kernel's hook (<c>/etc/kernel/postinst.d/initramfs-tools</c>) skip its create; the trigger's
    /// update then finds no initramfs to update.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Deferred { get; } = new Dictionary<string, string?> { ["INITRD"] = "No" };

    /// <summary>Where the appliance's initramfs configuration goes in the new root (it stays for the node's own kernel updates).</summary>
    public const string ConfPath = "/etc/initramfs-tools/conf.d/pigsty-appliance.conf";

    /// <summary>The initramfs hook that adds the module classes the appliance boots with.</summary>
    public const string HookPath = "/etc/initramfs-tools/hooks/pigsty-appliance-modules";

    /// <summary>
    /// Debian's <c>MODULES=most</c> minus the network drivers: the appliance boots from its own disk (or the installer's medium), never
    /// over the network, and those drivers were about 200 of the 750 modules mkinitramfs copied one process at a time. The system loads
    /// them from the root file system as it always does.
    /// </summary>
    public const string ModuleClasses = "base ide scsi block ata dasd firewire mmc usb_storage fb";

    /// <summary>
    /// An mmdebstrap customize hook (the new root as $1) that creates the initramfs of every installed kernel, unless one exists, with
    /// <c>MODULES=list</c> and a hook adding <see cref="ModuleClasses"/>.
    /// </summary>
    public const string CustomizeHook =
        "if ! ls \"$1\"/boot/initrd.img-* >/dev/null 2>&1; then"
        + " mkdir -p \"$1/etc/initramfs-tools/conf.d\" \"$1/etc/initramfs-tools/hooks\""
        + " && printf '%s\\n' '# written by pigsty-appliance: the modules come from " + HookPath + "' 'MODULES=list' > \"$1" + ConfPath + "\""
        + " && printf '%s\\n' '#!/bin/sh' '# written by pigsty-appliance: Debian'\\''s MODULES=most without the network drivers' '[ \"$1\" = prereqs ] && exit 0'"
        + " '. /usr/share/initramfs-tools/hook-functions' 'auto_add_modules " + ModuleClasses + "' > \"$1" + HookPath + "\""
        + " && chmod 0755 \"$1" + HookPath + "\""
        + " && chroot \"$1\" update-initramfs -c -k all; fi";
}

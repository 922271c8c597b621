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

    /// <summary>An mmdebstrap customize hook (the new root as $1) that creates the initramfs of every installed kernel, unless one exists.</summary>
    public const string CustomizeHook =
        "if ! ls \"$1\"/boot/initrd.img-* >/dev/null 2>&1; then chroot \"$1\" update-initramfs -c -k all; fi";
}

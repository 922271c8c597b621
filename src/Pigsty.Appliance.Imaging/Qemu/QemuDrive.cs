namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>A disk attached to the VM, e.g. a seed volume; never modified unless <see cref="Writable"/>.</summary>
/// <param name="Path">Image file.</param>
/// <param name="Format">QEMU format name: raw, qcow2, vmdk, vhdx.</param>
/// <param name="Writable">False (the default) attaches it with <c>snapshot=on</c>: the guest may write, the file does not change.</param>
public sealed record QemuDrive(string Path, string Format = "raw", bool Writable = false);

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Disk image formats we ship, by the hypervisors that take them.</summary>
public enum DiskFormat
{
    /// <summary>Raw bytes (dd, cloud uploads, bare metal).</summary>
    Raw,

    /// <summary>QEMU/KVM, Proxmox, libvirt.</summary>
    Qcow2,

    /// <summary>VMware (monolithic sparse, which Workstation, Fusion and ESXi import).</summary>
    Vmdk,

    /// <summary>Hyper-V (dynamic VHDX).</summary>
    Vhdx,
}

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>How QEMU runs guest code.</summary>
public enum Accelerator
{
    /// <summary>KVM when a probe shows it works, TCG otherwise.</summary>
    Auto,

    /// <summary>Hardware virtualisation through /dev/kvm.</summary>
    Kvm,

    /// <summary>QEMU's own translator: slower, works everywhere.</summary>
    Tcg,
}

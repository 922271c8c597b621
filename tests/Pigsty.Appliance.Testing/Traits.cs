namespace Pigsty.Appliance.Testing;

/// <summary>Trait names and values used to select tests: <c>[Trait(Traits.Category, Traits.Network)]</c>.</summary>
public static class Traits
{
    public const string Category = "Category";

    /// <summary>Reaches the Debian archive through the host's configured mirror.</summary>
    public const string Network = "Network";

    /// <summary>Takes more than a few seconds (real apt runs, big files).</summary>
    public const string Slow = "Slow";

    /// <summary>Boots a VM under QEMU; excluded from the Test target, run by the VmTest target.</summary>
    public const string Vm = "VM";
}

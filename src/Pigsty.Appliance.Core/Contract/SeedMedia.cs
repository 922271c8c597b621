namespace Pigsty.Appliance.Core.Contract;

/// <summary>How a seed inventory reaches a node: volume labels, file names on the volume, the kernel command line argument.</summary>
public static class SeedMedia
{
    /// <summary>The label <c>pigsty-appliance seed</c> writes by default, and the one first boot looks for first.</summary>
    public const string DefaultLabel = "PIGSTY";

    /// <summary>Labels a seed volume may carry, in the order first boot looks for them (CIDATA: cloud-init's NoCloud label).</summary>
    public static readonly IReadOnlyList<string> Labels = [DefaultLabel, "CIDATA"];

    /// <summary>The inventory's name at the root of a seed volume.</summary>
    public const string InventoryName = "pigsty.yml";

    /// <summary>The kernel command line argument naming a seed file: <c>pigsty.seed=/path/to/pigsty.yml</c>.</summary>
    public const string KernelArgument = "pigsty.seed=";

    /// <summary>The status first boot writes back to the seed volume.</summary>
    public const string StatusWriteBack = "pigsty-status.json";

    /// <summary>The end of the install log first boot writes back to the seed volume.</summary>
    public const string LogWriteBack = "pigsty-install.log";
}

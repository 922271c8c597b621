namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Where the seed inventory came from, in the order first boot looks.</summary>
public enum SeedKind
{
    /// <summary>A FAT or ISO 9660 volume labelled PIGSTY or CIDATA/cidata holding <c>pigsty.yml</c> or a NoCloud <c>user-data</c>.</summary>
    Volume,

    /// <summary>A path given on the kernel command line as <c>pigsty.seed=</c>.</summary>
    KernelCommandLine,

    /// <summary>The default seed embedded in the image (single node; admin_ip becomes this node's primary IP).</summary>
    Embedded,

    /// <summary>An inventory named on the command line of <c>pigsty-appliance install</c>.</summary>
    Given,

    /// <summary>A directory laid out like a seed volume (<c>pigsty.yml</c>, <c>site/</c>) named by <c>install --seed-dir</c>: what deploy uploads.</summary>
    Directory,
}

using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Definition;

/// <summary>What an image is: where its packages come from, its disk layout, firmware, formats and first-boot seed.</summary>
/// <param name="Recipe">Recipe whose bundle the image is built from.</param>
/// <param name="BaseGroup">The bundle group holding the root filesystem's packages.</param>
/// <param name="Kernel"><c>default</c> (boots bare metal) or <c>cloud</c> (VMs only); <see cref="KernelPackageOn"/> names the package.</param>
/// <param name="DiskSize">Raw image size in bytes (sparse).</param>
/// <param name="EspSize">EFI system partition size in bytes.</param>
/// <param name="Consoles">Kernel consoles, e.g. <c>tty0</c>, <c>ttyS0,115200</c>; the last one is /dev/console.</param>
/// <param name="Seed">Absolute path of the default seed inventory embedded in the image; null for a plain image (no first boot to read it).</param>
/// <param name="Preinstall">Modules whose packages are installed at build time.</param>
/// <param name="Source">The definition file.</param>
public sealed record ImageDefinition(
    string Name,
    string Recipe,
    string BaseGroup,
    string Kernel,
    long DiskSize,
    long EspSize,
    IReadOnlyList<Firmware> Firmware,
    IReadOnlyList<string> Formats,
    string Hostname,
    string Locale,
    string Timezone,
    IReadOnlyList<string> Consoles,
    string? Seed,
    IReadOnlyList<ImageModule> Preinstall,
    string Source)
{
    /// <summary>
    /// True (the default): the appliance, which carries the bundle, the installer and the first-boot service. False: a plain Debian
    /// host (the recipe's release) as a site already runs them (no bundle, no installer, no first boot), for <c>deploy</c> to install over SSH.
    /// </summary>
    public bool FirstBoot { get; init; } = true;

    /// <summary>A login user the image creates, with passwordless sudo and <see cref="AuthorizedKeys"/>; null creates none.</summary>
    public string? AdminUser { get; init; }

    /// <summary>OpenSSH public key lines <see cref="AdminUser"/> logs in with.</summary>
    public IReadOnlyList<string> AuthorizedKeys { get; init; } = [];

    /// <summary>
    /// What the image files are named after besides version and target <paramref name="os"/>: null for the target's appliance
    /// (<c>appliance-d13</c> for d13, whose files the target already tells apart), else this definition's name.
    /// </summary>
    public string? ArtifactVariantFor(string os) => Name == $"appliance-{os}" ? null : Name;

    /// <summary>The kernel package of <see cref="Kernel"/> in <paramref name="platform"/>'s release.</summary>
    public string KernelPackageOn(TargetPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return Kernel == "cloud" ? platform.CloudKernelPackage : platform.KernelPackage;
    }

    /// <summary>The kernel command line's console arguments, in order.</summary>
    public string ConsoleArguments => string.Join(' ', Consoles.Select(c => $"console={c}"));

    /// <summary>The packages of the <see cref="Preinstall"/> modules on <paramref name="platform"/>, each once.</summary>
    public IReadOnlyList<string> PreinstallPackagesOn(TargetPlatform platform) =>
        Preinstall.SelectMany(m => m.PackagesOn(platform)).Distinct(StringComparer.Ordinal).ToList();
}

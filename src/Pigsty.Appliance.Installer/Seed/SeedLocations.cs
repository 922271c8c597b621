using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Where the locator looks; the defaults are the real node's paths, tests point them at a temp directory.</summary>
public sealed record SeedLocations
{
    public string ByLabel { get; init; } = "/dev/disk/by-label";

    /// <summary>Where a device's read-only flag is read (<c>&lt;name&gt;/ro</c>).</summary>
    public string SysBlock { get; init; } = "/sys/class/block";

    public string MountPoint { get; init; } = NodeLayout.SeedMountPoint;

    public string KernelCommandLine { get; init; } = "/proc/cmdline";

    public string Embedded { get; init; } = NodeLayout.DefaultSeed;

    /// <summary>The seed directory the installer medium carried onto this disk.</summary>
    public string Carried { get; init; } = NodeLayout.CarriedSeed;
}

namespace Pigsty.Appliance.Core.Processes;

/// <summary>Which Debian package provides each host tool we call, so a missing tool names its package (from <see cref="HostPackageList"/>).</summary>
public static class KnownTools
{
    /// <summary>The Debian package providing <paramref name="tool"/> (a name or a path), or null when the list does not have it.</summary>
    public static string? PackageFor(string tool) => HostPackageList.ProviderOf(tool)?.Name;
}

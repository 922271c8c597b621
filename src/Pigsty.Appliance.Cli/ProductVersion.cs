using System.Reflection;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Cli;

/// <summary>The product version (from Directory.Build.props), as bundle and image file names carry it.</summary>
public static class ProductVersion
{
    public static string Value { get; } =
        (typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>This executable when it is a self-contained single file (what the image carries), else null.</summary>
    public static string? SingleFileExecutable =>
        // A single-file app carries its assemblies inside; beside a normal build its main .dll lies next to it.
        Environment.ProcessPath is { } path && Path.GetFileName(path) == NodeLayout.InstallerName
            && !File.Exists(Path.Combine(AppContext.BaseDirectory, NodeLayout.InstallerName + ".dll"))
            ? path
            : null;
}

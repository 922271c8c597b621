using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Testing;

/// <summary>Builds real .deb files with dpkg-deb, for tests that need packages apt and dpkg can read and install.</summary>
public static class DebPackage
{
    /// <summary>Writes <paramref name="output"/> from a control file's text and files given by their path in the package (e.g. <c>usr/bin/x</c>).</summary>
    public static async Task BuildAsync(string output, string control, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(files);
        var tree = Directory.CreateTempSubdirectory("pigsty-deb-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
            await File.WriteAllTextAsync(Path.Combine(tree, "DEBIAN", "control"), control, cancellationToken);
            foreach (var (path, content) in files)
            {
                var target = Path.Combine(tree, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllBytesAsync(target, content, cancellationToken);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", tree, output), cancellationToken);
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
    }
}

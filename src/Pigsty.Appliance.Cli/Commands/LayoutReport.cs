using System.Text.Json.Serialization;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Imaging.Build;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>What <c>layout</c> prints: the artifacts of one image definition and the paths on a node, all from the one contract.</summary>
public sealed record LayoutReport(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("bundle")] string Bundle,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("node")] IReadOnlyDictionary<string, string> Node)
{
    /// <summary>The layout for a version and target, with the artifacts under <paramref name="outputDirectory"/>; <paramref name="variant"/> names a non-default image.</summary>
    public static LayoutReport Of(string version, string os, string architecture, string outputDirectory, string? variant = null) => new(
        version,
        os,
        architecture,
        Path.Combine(outputDirectory, ArtifactNames.Bundle(version, os, architecture)),
        Path.Combine(outputDirectory, ArtifactNames.RawImage(version, os, architecture, variant)),
        new Dictionary<string, string>
        {
            ["installer"] = NodeLayout.Installer,
            ["repo"] = NodeLayout.Repo,
            ["default_seed"] = NodeLayout.DefaultSeed,
            ["seed_mount"] = NodeLayout.SeedMountPoint,
            ["credentials"] = NodeLayout.CredentialsFile,
            ["state"] = NodeLayout.StateDirectory,
            ["step_journal"] = NodeLayout.StepJournal,
            ["status"] = NodeLayout.StatusFile,
            ["firstboot_done"] = NodeLayout.FirstBootDone,
            ["growroot_done"] = NodeLayout.GrowRootDone,
            ["install_log"] = NodeLayout.InstallLog,
            ["firstboot_unit"] = ApplianceFiles.FirstBootUnitName,
        });

    /// <summary>One <c>name: value</c> line per entry, node paths as <c>node.name</c>.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"version: {Version}";
        yield return $"os: {Os}";
        yield return $"architecture: {Architecture}";
        yield return $"bundle: {Bundle}";
        yield return $"image: {Image}";
        foreach (var (name, path) in Node)
        {
            yield return $"node.{name}: {path}";
        }
    }
}

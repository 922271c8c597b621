using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Testing;

/// <summary>Archives made by the real tools (tar with gzip, xz or zstd; zip), as a release page would publish them.</summary>
public static class RealArchive
{
    /// <summary>The formats, by the name ending the tests give them.</summary>
    public static readonly IReadOnlyList<string> Formats = ["tar.gz", "tar.xz", "tar.zst", "zip"];

    /// <summary>
    /// Packs <paramref name="member"/> (a directory in <paramref name="directory"/>) into <paramref name="archive"/> as <paramref name="format"/>.
    /// zip gets <c>--symlinks</c>: a symlink is stored as a link (its Unix mode in the central directory), not as the file it points to.
    /// </summary>
    public static async Task<string> MakeAsync(string format, string directory, string member, string archive)
    {
        var spec = format switch
        {
            "tar.gz" => RealTool.Spec("tar", "-czf", archive, member),
            "tar.xz" => RealTool.Spec("tar", "-cJf", archive, member),
            "tar.zst" => RealTool.Spec("tar", "--zstd", "-cf", archive, member),
            "zip" => RealTool.Spec("zip", "-q", "-r", "--symlinks", archive, member),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"not one of {string.Join(", ", Formats)}"),
        };
        await ProcessRunner.Silent.RunAsync(spec with { WorkingDirectory = directory }, CancellationToken.None);
        return archive;
    }
}

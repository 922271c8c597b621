using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>Runs grub-mkimage for a platform with our modules and a memdisk holding the rendered grub.cfg.</summary>
public sealed class GrubImageBuilder(IProcessRunner runner)
{
    /// <summary>Builds the image at <paramref name="outputPath"/> (replaced only when complete) and returns its size in bytes.</summary>
    /// <param name="sourceDateEpoch">Time stamped on the memdisk's entries, for reproducible images; null for the Unix epoch.</param>
    public async Task<long> BuildAsync(GrubTarget target, GrubConfig config, string outputPath, long? sourceDateEpoch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(config);
        using var work = new ScratchDirectory("grub");
        var memdisk = work.File("memdisk.tar");
        GrubMemdisk.Write(memdisk, config.Render(), DateTimeOffset.FromUnixTimeSeconds(sourceDateEpoch ?? 0));
        var image = work.File("grub.img");
        await runner.RunAsync(new ProcessSpec("grub-mkimage",
        [
            "--format", target.Format,
            "--directory", target.ModuleDirectory,
            "--prefix", GrubMemdisk.Prefix,
            "--memdisk", memdisk,
            "--output", image,
            .. target.Modules,
        ]) { Timeout = TimeSpan.FromMinutes(2) }, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        File.Move(image, outputPath, overwrite: true);
        return new FileInfo(outputPath).Length;
    }
}

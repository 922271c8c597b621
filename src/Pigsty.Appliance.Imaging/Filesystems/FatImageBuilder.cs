using System.Globalization;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Regions;

namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>Makes a FAT filesystem with <c>mkfs.vfat</c> and fills it with mtools, inside an image or as a file of its own.</summary>
public sealed class FatImageBuilder(IProcessRunner runner)
{

    /// <summary>Creates a standalone FAT image file of <paramref name="sizeBytes"/> (e.g. a seed volume) and fills it.</summary>
    public async Task<DiskRegion> CreateFileAsync(string imagePath, long sizeBytes, FatOptions options, CancellationToken cancellationToken)
    {
        await using (var file = new FileStream(imagePath, FileMode.Create, FileAccess.Write))
        {
            file.SetLength(sizeBytes);
        }

        var region = DiskRegion.WholeFile(imagePath);
        try
        {
            await BuildAsync(region, options, cancellationToken);
        }
        catch
        {
            File.Delete(imagePath);
            throw;
        }

        return region;
    }

    /// <summary>Formats <paramref name="region"/> (e.g. the ESP partition) and copies the files in.</summary>
    public async Task BuildAsync(DiskRegion region, FatOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(options);
        RegionCheck.Validate(region, 1024, "FAT");
        if (options.Label.Length is 0 or > 11)
        {
            throw new InputException("FAT label", $"'{options.Label}' must be 1 to 11 characters");
        }

        foreach (var file in options.Files.Where(f => !File.Exists(f.SourcePath)))
        {
            throw new InputException(file.SourcePath, $"the file to copy into the FAT filesystem as '{file.TargetPath}' does not exist");
        }

        var sector = region.OffsetBytes / 512;
        var arguments = new List<string>
        {
            "-n", options.Label.ToUpperInvariant(),
            "-i", options.VolumeId.ToString("X8", CultureInfo.InvariantCulture),
            // Hidden sectors = the partition's first LBA, as a partitioning tool would set them.
            "-h", sector.ToString(CultureInfo.InvariantCulture),
            "--offset=" + sector.ToString(CultureInfo.InvariantCulture),
        };
        // mkfs.vfat sizes clusters by the whole file, not by the block count it is given: inside a big image that makes
        // a FAT32 with too few clusters to be valid. The FAT width and cluster size are therefore always chosen here.
        var (bits, clusterSectors) = FatGeometry.Choose(options.FatBits, region.SizeBytes);
        arguments.AddRange(["-F", bits.ToString(CultureInfo.InvariantCulture), "-s", clusterSectors.ToString(CultureInfo.InvariantCulture)]);

        if (options.SourceDateEpoch is not null)
        {
            // mkfs.fat 4.2 ignores SOURCE_DATE_EPOCH for the label entry; --invariant stamps a constant time (-i still sets the ID).
            arguments.Add("--invariant");
        }

        arguments.Add(region.ImagePath);
        arguments.Add((region.SizeBytes / 1024).ToString(CultureInfo.InvariantCulture));
        // mtools stamps SOURCE_DATE_EPOCH instead of the clock on the directories and files it writes.
        var environment = MtoolsEnvironment(options.SourceDateEpoch);
        await runner.RunAsync(new ProcessSpec("mkfs.vfat", arguments) { Environment = environment }, cancellationToken);

        var image = Mtools.ImageArgument(region);
        var directories = options.Files
            .SelectMany(f => Parents(f.TargetPath))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(d => d.Count(c => c == '/'))
            .ToList();
        if (directories.Count > 0)
        {
            await runner.RunAsync(new ProcessSpec("mmd", ["-i", image, .. directories.Select(d => "::/" + d)])
            {
                Environment = environment,
            }, cancellationToken);
        }

        foreach (var file in options.Files)
        {
            await runner.RunAsync(new ProcessSpec("mcopy", ["-i", image, "-o", file.SourcePath, "::/" + file.TargetPath.TrimStart('/')])
            {
                Environment = environment,
            }, cancellationToken);
        }
    }

    /// <summary>Lists the files of a FAT region recursively, as <c>mdir -/ -b</c> prints them (for checks and tests).</summary>
    public async Task<IReadOnlyList<string>> ListAsync(DiskRegion region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        var result = await runner.RunAsync(new ProcessSpec("mdir", ["-i", Mtools.ImageArgument(region), "-/", "-b", "::/"])
        {
            Environment = MtoolsEnvironment(null),
        }, cancellationToken);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static IEnumerable<string> Parents(string target)
    {
        var parts = target.Trim('/').Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('/', parts.Take(i));
        }
    }

    private static Dictionary<string, string?> MtoolsEnvironment(long? sourceDateEpoch)
    {
        // mtools refuses images whose geometry it finds odd unless told not to check.
        var environment = new Dictionary<string, string?> { ["MTOOLS_SKIP_CHECK"] = "1" };
        if (sourceDateEpoch is { } epoch)
        {
            environment["SOURCE_DATE_EPOCH"] = epoch.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }
}

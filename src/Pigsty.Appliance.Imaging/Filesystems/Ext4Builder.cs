using System.Globalization;
using System.Text;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Regions;

namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>Makes an ext4 filesystem from a directory with <c>mke2fs -d</c>, written straight into a byte range of an image.</summary>
public sealed class Ext4Builder(IProcessRunner runner)
{
    private const int BlockSize = 4096;

    /// <summary>Formats <paramref name="region"/> (e.g. the root partition) and fills it from <see cref="Ext4Options.SourceDirectory"/>.</summary>
    public async Task BuildAsync(DiskRegion region, Ext4Options options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(options);
        RegionCheck.Validate(region, BlockSize, "ext4");
        if (options.Label is { } label && Encoding.UTF8.GetByteCount(label) > 16)
        {
            throw new InputException("ext4 label", $"'{label}' is longer than 16 bytes");
        }

        if (options.SourceDirectory is { } source && !Directory.Exists(source))
        {
            throw new InputException(source, "the directory to fill the ext4 filesystem from does not exist");
        }

        var uuid = options.Uuid.ToString("D");
        var arguments = new List<string>
        {
            "-F", "-q", "-t", "ext4", "-b", BlockSize.ToString(CultureInfo.InvariantCulture),
            "-U", uuid,
            // Writing into a byte range of the disk image: no separate file, no copy, the rest of the image untouched.
            "-E", string.Create(CultureInfo.InvariantCulture, $"offset={region.OffsetBytes},hash_seed={uuid}"),
        };
        if (options.DisabledFeatures.Count > 0)
        {
            arguments.AddRange(["-O", string.Join(',', options.DisabledFeatures.Select(f => "^" + f))]);
        }

        if (options.Label is not null)
        {
            arguments.AddRange(["-L", options.Label]);
        }

        if (options.SourceDirectory is not null)
        {
            arguments.AddRange(["-d", options.SourceDirectory]);
        }

        arguments.Add(region.ImagePath);
        arguments.Add(string.Create(CultureInfo.InvariantCulture, $"{region.SizeBytes / 1024}k"));
        var environment = new Dictionary<string, string?>();
        if (options.SourceDateEpoch is { } epoch)
        {
            environment["E2FSPROGS_FAKE_TIME"] = epoch.ToString(CultureInfo.InvariantCulture);
        }

        await runner.RunAsync(new ProcessSpec("mke2fs", arguments)
        {
            Environment = environment,
            Timeout = TimeSpan.FromMinutes(30),
        }, cancellationToken);
    }
}

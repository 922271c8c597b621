using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>Reads the machine's whole disks from sysfs, with their <c>/dev/disk/by-id</c> links.</summary>
public static partial class DiskScanner
{
    /// <summary>Devices that are never an install target: loop, RAM, optical, floppy, device-mapper, RAID, network and ZFS volumes.</summary>
    private static readonly string[] Skipped = ["loop", "ram", "zram", "sr", "fd", "dm-", "md", "nbd", "zd"];

    /// <summary>Every whole disk under <paramref name="sysBlock"/>, by name; a missing <paramref name="byId"/> directory means no links.</summary>
    public static async Task<IReadOnlyList<BlockDisk>> ScanAsync(string sysBlock = "/sys/block", string byId = "/dev/disk/by-id", CancellationToken ct = default)
    {
        var links = ByIdLinks(byId);
        List<BlockDisk> disks = [];
        foreach (var directory in Directory.EnumerateFileSystemEntries(sysBlock).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (Skipped.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) || !Directory.Exists(directory))
            {
                continue;
            }

            var sectors = await ReadAsync(Path.Combine(directory, "size"), ct);
            var serial = await ReadAsync(Path.Combine(directory, "device", "serial"), ct)
                ?? await ReadAsync(Path.Combine(directory, "serial"), ct)
                ?? await ReadAsync(Path.Combine(directory, "device", "wwid"), ct);
            disks.Add(new BlockDisk(
                name,
                long.TryParse(sectors, out var count) && count >= 0 && count <= long.MaxValue / 512 ? count * 512 : 0,
                await ReadAsync(Path.Combine(directory, "removable"), ct) == "1",
                await ReadAsync(Path.Combine(directory, "ro"), ct) == "1",
                serial,
                await ReadAsync(Path.Combine(directory, "device", "model"), ct),
                [.. links.Where(l => l.Device == name).Select(l => l.Link)],
                [.. Directory.EnumerateDirectories(directory)
                    .Where(sub => File.Exists(Path.Combine(sub, "partition")))
                    .Select(Path.GetFileName)
                    .OfType<string>()
                    .Order(StringComparer.Ordinal)]));
        }

        return disks;
    }

    /// <summary>The by-id links and the device name each leads to, leaving out partitions' links (<c>…-part1</c>).</summary>
    private static List<(string Link, string Device)> ByIdLinks(string byId)
    {
        if (!Directory.Exists(byId))
        {
            return [];
        }

        List<(string, string)> links = [];
        foreach (var link in Directory.EnumerateFileSystemEntries(byId).Order(StringComparer.Ordinal))
        {
            var target = new FileInfo(link).LinkTarget;
            if (target is not null && !PartitionLink().IsMatch(link))
            {
                links.Add((link, Path.GetFileName(target)));
            }
        }

        return links;
    }

    /// <summary>A sysfs attribute, trimmed; null when it is missing or empty (a disk unplugged while being read counts as missing).</summary>
    private static async Task<string?> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            var text = (await File.ReadAllTextAsync(path, ct)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"-part[0-9]+$")]
    private static partial Regex PartitionLink();
}

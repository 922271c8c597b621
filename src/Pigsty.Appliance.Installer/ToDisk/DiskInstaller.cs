using System.Globalization;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>Where the live system finds things; the defaults are the real ones.</summary>
public sealed record ToDiskLocations
{
    public string ByLabel { get; init; } = "/dev/disk/by-label";

    public string SysBlock { get; init; } = "/sys/block";

    public string SysClassBlock { get; init; } = "/sys/class/block";

    public string ById { get; init; } = "/dev/disk/by-id";

    /// <summary>Where the disks' device nodes are (tests point it at a temp directory: no test may ever open a real disk).</summary>
    public string Dev { get; init; } = "/dev";

    public string Medium { get; init; } = InstallMedium.MountPoint;

    public string Target { get; init; } = InstallMedium.TargetMountPoint;

    /// <summary>How long to wait for the medium to appear: a USB stick is scanned a second or more after udev has settled.</summary>
    public TimeSpan MediumWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seconds the countdown waits before the disk is erased, unless the seed says unattended.</summary>
    public int CountdownSeconds { get; init; } = 30;
}

/// <summary>
/// The installer medium's install step, run by its live system: mount the medium, read the seed, choose the disk, say what will be
/// erased (and count down unless unattended), write the image with its checksum checked, and carry the seed onto the installed
/// root filesystem so that the server then boots from its disk alone. First boot of the installed disk grows it to the disk.
/// </summary>
public sealed class DiskInstaller(IProcessRunner runner, SeedLocator seeds, ILogger<DiskInstaller> logger, TextWriter console, ToDiskLocations locations)
{
    /// <summary>Installs; every failure is an <see cref="ApplianceException"/> saying why, thrown before the disk is touched when it can be.</summary>
    public async Task<BlockDisk> RunAsync(CancellationToken cancellationToken)
    {
        var mediumDevice = Path.Combine(locations.ByLabel, InstallMedium.VolumeId);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(mediumDevice) && waited.Elapsed < locations.MediumWait)
        {
            if (waited.Elapsed < TimeSpan.FromSeconds(1))
            {
                await SayAsync($"waiting up to {locations.MediumWait.TotalSeconds:0} s for the installer medium (label {InstallMedium.VolumeId}) to appear");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        // What came up with the medium (a seed stick beside an installer stick) is in the by-label links too.
        await runner.RunAsync(ProcessSpec.Of("udevadm", "settle", "--timeout=60"), cancellationToken);
        if (!File.Exists(mediumDevice))
        {
            throw new IntegrityException($"no installer medium: no device labelled {InstallMedium.VolumeId} appeared in {locations.ByLabel} within {locations.MediumWait.TotalSeconds:0} s; boot this from the Pigsty appliance ISO");
        }

        // The whole device: a hybrid ISO dd'd onto a stick starts at its sector 0, and udev may give the label to one of the
        // partitions the ISO's GPT maps (sda3, a window into the ISO that does not mount); a CD (sr0) is whole already.
        var medium = DiskOf(mediumDevice) is { } whole ? Path.Combine(locations.Dev, whole) : mediumDevice;
        Directory.CreateDirectory(locations.Medium);
        await runner.RunAsync(ProcessSpec.Of("mount", "-t", "iso9660", "-o", "ro", medium, locations.Medium), cancellationToken);
        var image = await InstallImage.ReadAsync(Path.Combine(locations.Medium, InstallMedium.Manifest), cancellationToken);
        await SayAsync($"Pigsty appliance {image.Version} installer: {image.Image} ({image.Bytes >> 30} GiB)");

        var (seed, settings) = await ReadSeedAsync(cancellationToken);
        if (seed?.VolumeDirectory is { } seedVolume && File.Exists(Path.Combine(seedVolume, InstallMedium.DoneWriteBack)))
        {
            var done = (await File.ReadAllTextAsync(Path.Combine(seedVolume, InstallMedium.DoneWriteBack), cancellationToken)).Trim();
            throw new InputException(seed.InventoryPath, $"this seed volume already installed a server ({done}): remove the installer medium so that "
                + $"the server boots from its disk, or delete {InstallMedium.DoneWriteBack} from the seed volume to install again");
        }

        var excluded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (DiskOf(mediumDevice) is { } mediumDisk)
        {
            excluded[mediumDisk] = DiskChooser.BootMedium;
        }

        if (seed is not null && SeedDevice() is { } seedDevice && DiskOf(seedDevice) is { } seedDisk)
        {
            excluded.TryAdd(seedDisk, DiskChooser.SeedVolume);
        }

        var disks = await DiskScanner.ScanAsync(locations.SysBlock, locations.ById, cancellationToken);
        var probed = new List<BlockDisk>();
        foreach (var d in disks)
        {
            probed.Add(d.Partitions.Count == 0 && d.Signature is null ? d with { Signature = await SignatureAsync(d.Name, cancellationToken) } : d);
        }

        disks = probed;
        var choice = DiskChooser.Choose(disks, settings.Rule, excluded, image.Bytes, settings.Wipe, settings.Source);
        foreach (var note in choice.Notes)
        {
            await SayAsync($"  left out: {note}");
        }

        var disk = choice.Disk;
        var device = Path.Combine(locations.Dev, disk.Name);
        await SayAsync($"will ERASE {device}: {disk.Describe()}{(disk.HoldsData ? $", holding {string.Join(", ", disk.Partitions.DefaultIfEmpty(disk.Signature ?? ""))}" : "")}");
        if (!settings.Unattended)
        {
            for (var left = locations.CountdownSeconds; left > 0; left -= 5)
            {
                await SayAsync($"erasing {device} in {left} s: power the machine off now to keep it (install_unattended: true skips this wait)");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, left)), cancellationToken);
            }
        }

        if (disk.HoldsData)
        {
            await SayAsync($"wiping the signatures on {device} (install_wipe: true)");
            foreach (var partition in disk.Partitions)
            {
                await runner.RunAsync(ProcessSpec.Of("wipefs", "--all", "--force", Path.Combine(locations.Dev, partition)), cancellationToken);
            }

            await runner.RunAsync(ProcessSpec.Of("wipefs", "--all", "--force", device), cancellationToken);
        }

        // The image's range reads as zeros first (discard or write-zeroes where the disk can, plain zeros where not), so only the
        // image's data is written after.
        await SayAsync($"zeroing the first {image.Bytes >> 20} MiB of {device}");
        await runner.RunAsync(new ProcessSpec("blkdiscard", ["--zeroout", "--length", image.Bytes.ToString(CultureInfo.InvariantCulture), device])
        {
            Timeout = TimeSpan.FromMinutes(30),
        }, cancellationToken);
        await SayAsync($"writing {image.Image} onto {device}, checking {image.File}'s SHA-256 as it is read");
        var started = DateTime.UtcNow;
        var data = await ImageWriter.WriteAsync(image, Path.Combine(locations.Medium, image.File), device, null, cancellationToken);
        await SayAsync(string.Create(CultureInfo.InvariantCulture,
            $"written: {data >> 20} MiB of data in {(DateTime.UtcNow - started).TotalSeconds:0} s; SHA-256 matches the medium's manifest"));

        // The image's backup GPT sits at its own end: moved to the disk's end, the table is valid for this disk (growpart on first
        // boot then grows the root partition into the space behind it).
        await runner.RunAsync(ProcessSpec.Of("sfdisk", "--relocate", "gpt-bak-std", device), cancellationToken);
        if (seed?.VolumeDirectory is { } volume)
        {
            await CarrySeedAsync(device, disk, volume, cancellationToken);
        }
        else
        {
            await SayAsync("no seed volume: the installed system boots with its embedded default seed");
        }

        await runner.RunAsync(ProcessSpec.Of("sync"), cancellationToken);
        if (seed is not null)
        {
            await WriteBackAsync(InstallMedium.DoneWriteBack, $"{image.Image} onto {disk.Describe()} at {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC", cancellationToken);
        }

        await SayAsync($"installed onto {device}");
        return disk;
    }

    /// <summary>Writes a failure to the seed volume (when there is one and it is writable), beside the console message.</summary>
    public Task WriteBackAsync(string message, CancellationToken cancellationToken) => WriteBackAsync(InstallMedium.ErrorWriteBack, message, cancellationToken);

    /// <summary>Writes <paramref name="file"/> at the seed volume's root and unmounts it; a volume that cannot take it is logged, not fatal.</summary>
    private async Task WriteBackAsync(string file, string text, CancellationToken cancellationToken)
    {
        if (SeedDevice() is null || !Directory.Exists(NodeLayout.SeedMountPoint))
        {
            return;
        }

        try
        {
            await runner.RunAsync(ProcessSpec.Of("mount", "-o", "remount,rw", NodeLayout.SeedMountPoint), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(NodeLayout.SeedMountPoint, file), text + "\n", cancellationToken);
            await runner.RunAsync(ProcessSpec.Of("umount", NodeLayout.SeedMountPoint), cancellationToken);
        }
        catch (Exception e) when (e is ApplianceException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("could not write {File} to the seed volume: {Error}", file, e.Message);
        }
    }

    private async Task<(SeedSource? Seed, InstallSettings Settings)> ReadSeedAsync(CancellationToken cancellationToken)
    {
        if (SeedDevice() is null)
        {
            await SayAsync($"no seed volume ({string.Join(", ", SeedMedia.Labels)}): the disk is chosen without install_disk, with a countdown");
            return (null, InstallSettings.None);
        }

        var seed = await seeds.LocateAsync(cancellationToken);
        var inventory = await SeedLoader.LoadAsync(seed, null, cancellationToken);
        var node = await SiteImport.ReadNodeAsync(seed.VolumeDirectory, cancellationToken) ?? seed.Network;
        var settings = InstallSettings.From(inventory, node?.Address);
        await SayAsync($"seed: {seed.Description}; install_disk: {settings.Rule?.Describe() ?? "not set"}, install_wipe: {(settings.Wipe ? "true" : "false")}, install_unattended: {(settings.Unattended ? "true" : "false")}");
        return (seed, settings);
    }

    /// <summary>Copies the seed volume onto the installed root filesystem (root-only), where first boot takes it when no volume is attached.</summary>
    private async Task CarrySeedAsync(string device, BlockDisk disk, string volume, CancellationToken cancellationToken)
    {
        // partx adds the new table's partitions one by one (BLKPG): a whole re-read (BLKRRPART) fails while udev still probes the
        // disk sfdisk just wrote.
        await runner.RunAsync(ProcessSpec.Of("udevadm", "settle", "--timeout=60"), cancellationToken);
        var partx = await runner.RunAsync(new ProcessSpec("partx", ["--update", device]) { ThrowOnNonZeroExit = false }, cancellationToken);
        if (!partx.Succeeded)
        {
            // What counts is below: the root partition in sysfs, whoever made the kernel read the table.
            logger.LogWarning("partx --update {Device}: {Error}", device, partx.StandardError.Trim());
        }

        await runner.RunAsync(ProcessSpec.Of("udevadm", "settle", "--timeout=60"), cancellationToken);
        string? root = null;
        foreach (var partition in Directory.EnumerateDirectories(Path.Combine(locations.SysBlock, disk.Name), disk.Name + "*").Select(Path.GetFileName).OfType<string>())
        {
            root ??= await SignatureAsync(partition, cancellationToken) == "ext4" ? partition : null;
        }

        if (root is null)
        {
            throw new IntegrityException($"{device}: no ext4 root partition after writing the image; the image on the medium is not an appliance image");
        }

        Directory.CreateDirectory(locations.Target);
        await runner.RunAsync(ProcessSpec.Of("mount", "-t", "ext4", Path.Combine(locations.Dev, root), locations.Target), cancellationToken);
        try
        {
            var carried = Path.Combine(locations.Target, NodeLayout.CarriedSeed.TrimStart('/'));
            var count = CopyTree(volume, carried);
            await SayAsync($"seed: {count} file(s) carried to {NodeLayout.CarriedSeed} on /dev/{root}");
        }
        finally
        {
            await runner.RunAsync(ProcessSpec.Of("umount", locations.Target), cancellationToken);
        }
    }

    private static int CopyTree(string from, string to)
    {
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Directory.CreateDirectory(to, Owner | UnixFileMode.UserExecute);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative is SeedMedia.StatusWriteBack or InstallMedium.ErrorWriteBack or InstallMedium.DoneWriteBack)
            {
                continue;
            }

            var destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!, Owner | UnixFileMode.UserExecute);
            File.Copy(file, destination, overwrite: true);
            File.SetUnixFileMode(destination, Owner);
            count++;
        }

        return count;
    }

    private string? SeedDevice() =>
        SeedMedia.Labels.Select(l => Path.Combine(locations.ByLabel, l)).FirstOrDefault(File.Exists);

    /// <summary>The whole disk a device (or its partition) belongs to, by sysfs: <c>sdb1</c> → <c>sdb</c>.</summary>
    private string? DiskOf(string devicePath)
    {
        if (DevicePath.DeviceName(devicePath) is not { } name)
        {
            return null;
        }

        var entry = new DirectoryInfo(Path.Combine(locations.SysClassBlock, name));
        var real = entry.LinkTarget is null ? entry : entry.ResolveLinkTarget(returnFinalTarget: true) as DirectoryInfo ?? entry;
        return File.Exists(Path.Combine(real.FullName, "partition")) ? real.Parent?.Name : name;
    }

    /// <summary>What blkid finds on the device (a filesystem or partition table type), or null for nothing.</summary>
    private async Task<string?> SignatureAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var tag in (string[])["TYPE", "PTTYPE"])
        {
            var probe = await runner.RunAsync(new ProcessSpec("blkid", ["-p", "-o", "value", "-s", tag, Path.Combine(locations.Dev, name)]) { ThrowOnNonZeroExit = false },
                cancellationToken);
            if (probe.Succeeded && probe.StandardOutput.Trim() is { Length: > 0 } type)
            {
                return type;
            }
        }

        return null;
    }

    private async Task SayAsync(string line)
    {
        logger.LogInformation("{Line}", line);
        await console.WriteLineAsync("pigsty-install: " + line);
        await console.FlushAsync();
    }
}

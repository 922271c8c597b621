using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>
/// Finds the seed: a PIGSTY or CIDATA/cidata volume (FAT or ISO 9660), then the seed the installer medium carried onto the disk,
/// then <c>pigsty.seed=</c> on the kernel command line, then the embedded default.
/// </summary>
public sealed class SeedLocator(IProcessRunner processes, ILogger<SeedLocator> logger, SeedLocations locations)
{
    /// <summary>FAT options: read-only while the install reads the inventory (it is writable only for the write-back), root-only, nothing runs from it.</summary>
    private const string FatOptions = "ro,noexec,nodev,nosuid,umask=077";

    /// <summary>ISO 9660 (NoCloud's usual seed) is read-only media; its Rock Ridge owners and modes give way to root-only ones.</summary>
    private const string IsoOptions = "ro,noexec,nodev,nosuid,uid=0,gid=0,mode=0400,dmode=0500,overriderockperm";

    public async Task<SeedSource> LocateAsync(CancellationToken cancellationToken)
    {
        foreach (var label in SeedMedia.Labels)
        {
            var device = Path.Combine(locations.ByLabel, label);
            if (!File.Exists(device))
            {
                continue;
            }

            var type = await FilesystemAsync(device, label, cancellationToken);
            var options = type == "iso9660" ? IsoOptions : FatOptions;
            Directory.CreateDirectory(locations.MountPoint);
            await processes.RunAsync(await IsMountedAsync(cancellationToken)
                ? ProcessSpec.Of("mount", "-o", "remount," + options, locations.MountPoint)
                : ProcessSpec.Of("mount", "-t", type, "-o", options, device, locations.MountPoint), cancellationToken);

            var contents = await VolumeSeed.ReadAsync(locations.MountPoint, $"{device} (label {label})", cancellationToken);
            var readOnly = type == "iso9660" ? "the seed volume is ISO 9660, read-only media" : await ReadOnlyDeviceAsync(device, cancellationToken);
            logger.LogInformation("seed: volume {Label} ({Device}, {Type}), inventory from {Inventory}{ReadOnly}", label, device, type,
                Path.GetFileName(contents.InventoryPath), readOnly is null ? "" : "; " + readOnly);
            return new SeedSource(SeedKind.Volume, contents.InventoryPath, locations.MountPoint,
                $"volume {label} ({device}){(contents.InventoryKey is null ? "" : $", {SeedMedia.UserData} {SeedMedia.UserDataKey}:")}")
            {
                InventoryKey = contents.InventoryKey,
                ReadOnly = readOnly,
                MetaData = contents.MetaData,
                Network = contents.Network,
            };
        }

        if (Directory.Exists(locations.Carried))
        {
            var carried = await VolumeSeed.ReadAsync(locations.Carried, $"the seed the installer medium carried ({locations.Carried})", cancellationToken);
            logger.LogInformation("seed: carried onto this disk by the installer medium, inventory from {Inventory}", carried.InventoryPath);
            return new SeedSource(SeedKind.Directory, carried.InventoryPath, locations.Carried, $"seed carried by the installer medium ({locations.Carried})")
            {
                InventoryKey = carried.InventoryKey,
                MetaData = carried.MetaData,
                Network = carried.Network,
            };
        }

        var commandLine = File.Exists(locations.KernelCommandLine) ? await File.ReadAllTextAsync(locations.KernelCommandLine, cancellationToken) : "";
        var given = commandLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(a => a.StartsWith(SeedMedia.KernelArgument, StringComparison.Ordinal))
            .Select(a => a[SeedMedia.KernelArgument.Length..])
            .LastOrDefault();
        if (given is not null)
        {
            return File.Exists(given)
                ? new SeedSource(SeedKind.KernelCommandLine, given, null, $"kernel command line {SeedMedia.KernelArgument}{given}")
                : throw new InputException(given, $"named by {SeedMedia.KernelArgument} on the kernel command line, but it does not exist");
        }

        return File.Exists(locations.Embedded)
            ? new SeedSource(SeedKind.Embedded, locations.Embedded, null, $"embedded default {locations.Embedded}")
            : throw new InputException(locations.Embedded, $"no seed volume, no {SeedMedia.KernelArgument} and no embedded default seed");
    }

    /// <summary>Makes a located seed volume writable for the write-back of the result.</summary>
    public async Task WritableAsync(SeedSource seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (seed is { Kind: SeedKind.Volume, VolumeDirectory: { } volume })
        {
            await processes.RunAsync(ProcessSpec.Of("mount", "-o", "remount,rw", volume), cancellationToken);
        }
    }

    /// <summary>Unmounts a located seed volume: once the install has read it, its inventory (secrets included) is out of reach.</summary>
    public async Task ReleaseAsync(SeedSource seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (seed is { Kind: SeedKind.Volume, VolumeDirectory: { } volume })
        {
            await processes.RunAsync(ProcessSpec.Of("umount", volume), cancellationToken);
        }
    }

    /// <summary>The volume's filesystem as blkid probes it: FAT (what <c>seed</c> writes) or ISO 9660 (what cloud-localds writes); anything else names the device.</summary>
    private async Task<string> FilesystemAsync(string device, string label, CancellationToken cancellationToken)
    {
        var probe = await processes.RunAsync(new ProcessSpec("blkid", ["-o", "value", "-s", "TYPE", device]) { ThrowOnNonZeroExit = false }, cancellationToken);
        var type = probe.Succeeded ? probe.StandardOutput.Trim() : "";
        return type is "vfat" or "iso9660"
            ? type
            : throw new InputException(device, $"seed volume {label} holds {(type.Length == 0 ? "no filesystem blkid recognises" : type)}: "
                + "a seed volume is FAT (vfat) or ISO 9660");
    }

    /// <summary>Why a FAT seed cannot take the write-back: its block device is read-only (sysfs <c>ro</c>), e.g. a drive attached read-only.</summary>
    private async Task<string?> ReadOnlyDeviceAsync(string device, CancellationToken cancellationToken)
    {
        var name = new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.Name ?? Path.GetFileName(device);
        var flag = Path.Join(locations.SysBlock, name, "ro");
        return File.Exists(flag) && (await File.ReadAllTextAsync(flag, cancellationToken)).Trim() == "1" ? $"the seed device {name} is read-only" : null;
    }

    private async Task<bool> IsMountedAsync(CancellationToken cancellationToken) =>
        (await processes.RunAsync(new ProcessSpec("mountpoint", ["-q", locations.MountPoint]) { ThrowOnNonZeroExit = false }, cancellationToken)).Succeeded;
}

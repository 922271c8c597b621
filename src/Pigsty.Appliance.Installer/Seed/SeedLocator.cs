using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Finds the seed: a PIGSTY or CIDATA volume, then <c>pigsty.seed=</c> on the kernel command line, then the embedded default.</summary>
public sealed class SeedLocator(IProcessRunner processes, ILogger<SeedLocator> logger, SeedLocations locations)
{
    /// <summary>FAT options: read-only while the install reads the inventory (it is writable only for the write-back), root-only, nothing runs from it.</summary>
    private const string MountOptions = "ro,noexec,nodev,nosuid,umask=077";

    public async Task<SeedSource> LocateAsync(CancellationToken cancellationToken)
    {
        foreach (var label in SeedMedia.Labels)
        {
            var device = Path.Combine(locations.ByLabel, label);
            if (!File.Exists(device))
            {
                continue;
            }

            Directory.CreateDirectory(locations.MountPoint);
            await processes.RunAsync(await IsMountedAsync(cancellationToken)
                ? ProcessSpec.Of("mount", "-o", "remount," + MountOptions, locations.MountPoint)
                : ProcessSpec.Of("mount", "-t", "vfat", "-o", MountOptions, device, locations.MountPoint), cancellationToken);

            var inventory = Path.Combine(locations.MountPoint, SeedMedia.InventoryName);
            if (!File.Exists(inventory))
            {
                throw new InputException(device, $"seed volume {label} has no {SeedMedia.InventoryName} at its root");
            }

            logger.LogInformation("seed: volume {Label} ({Device})", label, device);
            return new SeedSource(SeedKind.Volume, inventory, locations.MountPoint, $"volume {label} ({device})");
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

    private async Task<bool> IsMountedAsync(CancellationToken cancellationToken) =>
        (await processes.RunAsync(new ProcessSpec("mountpoint", ["-q", locations.MountPoint]) { ThrowOnNonZeroExit = false }, cancellationToken)).Succeeded;
}

using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Finds the seed: a PIGSTY or CIDATA volume, then <c>pigsty.seed=</c> on the kernel command line, then the embedded default.</summary>
public sealed class SeedLocator(IProcessRunner processes, ILogger<SeedLocator> logger, SeedLocations locations)
{
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
            if (!await IsMountedAsync(cancellationToken))
            {
                await processes.RunAsync(ProcessSpec.Of("mount", "-t", "vfat", "-o", "rw,noexec,nodev,nosuid,umask=077", device, locations.MountPoint), cancellationToken);
            }

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

    private async Task<bool> IsMountedAsync(CancellationToken cancellationToken) =>
        (await processes.RunAsync(new ProcessSpec("mountpoint", ["-q", locations.MountPoint]) { ThrowOnNonZeroExit = false }, cancellationToken)).Succeeded;
}

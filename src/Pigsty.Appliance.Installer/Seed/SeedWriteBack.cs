using System.Text.Json;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Installer.Status;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Copies the result to the seed volume, so it can be read on a machine with no network to this node.</summary>
public static class SeedWriteBack
{
    /// <summary>Writes <c>pigsty-status.json</c> and <c>pigsty-install.log</c> (last 200 lines) to the mounted seed volume.</summary>
    public static async Task WriteAsync(string volumeDirectory, InstallStatus status, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllTextAsync(Path.Combine(volumeDirectory, SeedMedia.StatusWriteBack),
            JsonSerializer.Serialize(status, Status.StatusReporter.Json) + "\n", cancellationToken);
        if (File.Exists(NodeLayout.InstallLog))
        {
            var tail = (await File.ReadAllLinesAsync(NodeLayout.InstallLog, cancellationToken)).TakeLast(200);
            await AtomicFile.WriteAllTextAsync(Path.Combine(volumeDirectory, SeedMedia.LogWriteBack), string.Join('\n', tail) + "\n", cancellationToken);
        }
    }
}

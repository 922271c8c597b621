using System.Security.Cryptography;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Filesystems;

namespace Pigsty.Appliance.Imaging.Seeds;

/// <summary>A seed volume: a small FAT image, labelled PIGSTY (or CIDATA), holding <c>pigsty.yml</c> at its root (see <see cref="SeedMedia"/>).</summary>
public static class SeedVolume
{
    /// <summary>Big enough for an inventory and the results first boot writes back.</summary>
    public const long Size = 4L << 20;

    /// <summary>
    /// Writes the volume (mode 0600) next to <paramref name="output"/> and renames it into place when complete; <paramref name="extra"/>
    /// adds files beside the inventory (a node's site material under <c>site/</c>).
    /// </summary>
    public static async Task CreateAsync(IProcessRunner runner, string inventory, string output, string label, CancellationToken cancellationToken,
        IReadOnlyList<FatFile>? extra = null)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");

        // 0600 from the first byte: the inventory it carries may hold passwords (the builder keeps an existing file's mode).
        await using (new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
        }

        try
        {
            FatFile[] files = [new FatFile(SeedMedia.InventoryName, Path.GetFullPath(inventory)), .. extra ?? []];
            await new FatImageBuilder(runner).CreateFileAsync(temp, Size, new FatOptions(label, BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4)), files),
                cancellationToken);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        File.Move(temp, output, overwrite: true);
    }

    /// <summary>Reads a file back from the volume (e.g. the status first boot wrote), or null when it is not there.</summary>
    public static async Task<string?> ReadAsync(IProcessRunner runner, string volume, string name, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("mtype", ["-i", volume, $"::/{name}"]) { ThrowOnNonZeroExit = false }, cancellationToken);
        return result.Succeeded ? result.StandardOutput : null;
    }
}

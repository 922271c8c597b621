using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.FirstBoot;

/// <summary>Grows the root partition (growpart) and its ext4 filesystem (resize2fs) to fill the disk; a second run changes nothing.</summary>
public sealed class RootGrower(IProcessRunner runner, ILogger<RootGrower> logger)
{
    /// <summary>Returns a line saying what was done.</summary>
    public async Task<string> GrowAsync(CancellationToken cancellationToken)
    {
        var source = (await runner.RunAsync(ProcessSpec.Of("findmnt", "--noheadings", "--output", "SOURCE", "/"), cancellationToken)).StandardOutput.Trim();
        var partition = Path.GetFileName(source);
        var partitionNumber = (await File.ReadAllTextAsync($"/sys/class/block/{partition}/partition", cancellationToken)).Trim();
        var disk = (await runner.RunAsync(ProcessSpec.Of("lsblk", "--noheadings", "--nodeps", "--output", "PKNAME", source), cancellationToken)).StandardOutput.Trim();
        var grow = await runner.RunAsync(new ProcessSpec("growpart", [$"/dev/{disk}", partitionNumber]) { ThrowOnNonZeroExit = false }, cancellationToken);

        // growpart exits 1 with NOCHANGE when the partition already fills the disk: that is success for us.
        if (grow.ExitCode == 1 && grow.StandardOutput.Contains("NOCHANGE", StringComparison.Ordinal))
        {
            logger.LogInformation("{Source} already fills /dev/{Disk}", source, disk);
        }
        else if (!grow.Succeeded)
        {
            throw new Core.Errors.ToolException("growpart", grow.ExitCode, grow.StandardError.Trim(), $"growpart /dev/{disk} {partitionNumber} failed: {grow.StandardError.Trim()}");
        }

        await runner.RunAsync(ProcessSpec.Of("resize2fs", source), cancellationToken);
        var size = (await runner.RunAsync(ProcessSpec.Of("findmnt", "--noheadings", "--bytes", "--output", "SIZE", "/"), cancellationToken)).StandardOutput.Trim();
        return $"root filesystem {source} on /dev/{disk}: {long.Parse(size, System.Globalization.CultureInfo.InvariantCulture) / 1048576} MiB";
    }
}

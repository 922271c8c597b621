using System.Globalization;
using System.Text.Json;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests;

/// <summary>Runs the real host tools the tests use as oracles (sgdisk, sfdisk, fsck, mtools, stat), each from the host package list.</summary>
internal static class HostTools
{
    /// <summary>Runs a tool, throwing on a non-zero exit, and returns its standard output.</summary>
    public static async Task<string> RunAsync(string tool, params string[] arguments) =>
        (await ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments) with { Timeout = TimeSpan.FromMinutes(2) },
            CancellationToken.None)).StandardOutput;

    /// <summary>Runs a tool and returns its whole result, whatever its exit code.</summary>
    public static Task<ProcessResult> TryRunAsync(string tool, params string[] arguments) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments) with
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(2),
            Environment = new Dictionary<string, string?> { ["MTOOLS_SKIP_CHECK"] = "1" },
        }, CancellationToken.None);

    /// <summary>The partition table as sfdisk sees it.</summary>
    public static async Task<JsonElement> SfdiskJsonAsync(string image)
    {
        using var document = JsonDocument.Parse(await RunAsync("sfdisk", "--json", image));
        return document.RootElement.GetProperty("partitiontable").Clone();
    }

    /// <summary>Bytes the file really occupies on disk (st_blocks * 512), to prove sparseness.</summary>
    public static async Task<long> AllocatedBytesAsync(string path) =>
        long.Parse((await RunAsync("stat", "-c", "%b", path)).Trim(), CultureInfo.InvariantCulture) * 512;
}

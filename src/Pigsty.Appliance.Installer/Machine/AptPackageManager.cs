using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>apt-get against the node's configured (local) repository, with a policy-rc.d so packages start nothing.</summary>
public sealed class AptPackageManager(IProcessRunner processes, IFileSystem files) : IPackageManager
{
    private const string PolicyRcD = "/usr/sbin/policy-rc.d";

    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["DEBIAN_FRONTEND"] = "noninteractive",
        ["APT_LISTCHANGES_FRONTEND"] = "none",
    };

    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var result = await processes.RunAsync(new ProcessSpec("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\n", .. packages])
        {
            ThrowOnNonZeroExit = false,
        }, cancellationToken);
        var installed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && p[1] == "installed")
            .Select(p => p[0])
            .ToHashSet(StringComparer.Ordinal);
        return packages.Where(p => !installed.Contains(p)).ToList();
    }

    public async Task InstallAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);

        // exit 101 = "action forbidden": maintainer scripts must not start services; our units start them when configured.
        await files.WriteAsync(PolicyRcD, "#!/bin/sh\nexit 101\n", FileSpec.Directory, cancellationToken);
        try
        {
            var install = new ProcessSpec("apt-get", [
                "install", "-y", "--no-install-recommends",
                "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
                .. packages])
            {
                Environment = Environment,
                Timeout = TimeSpan.FromMinutes(30),
                ThrowOnNonZeroExit = false,
            };
            var result = await processes.RunAsync(install, cancellationToken);
            if (!result.Succeeded)
            {
                throw InstallFailed(packages, result);
            }
        }
        finally
        {
            await files.DeleteAsync(PolicyRcD, CancellationToken.None);
        }
    }

    /// <summary>
    /// What a failed <c>apt-get install</c> throws: packages the repository lacks, or the dependencies it cannot satisfy, in apt's
    /// words, else the tail of its errors. apt prints the unmet dependencies on stdout and only "Unable to correct problems" on stderr.
    /// </summary>
    internal static ToolException InstallFailed(IReadOnlyList<string> packages, ProcessResult result)
    {
        var unavailable = result.StandardError.Split('\n')
            .Where(l => l.Contains("Unable to locate package", StringComparison.Ordinal) || l.Contains("has no installation candidate", StringComparison.Ordinal))
            .ToList();
        var unmet = result.StandardOutput.Split('\n')
            .SkipWhile(l => !l.StartsWith("The following packages have unmet dependencies", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(l => l.StartsWith(' '))
            .Select(l => l.Trim())
            .ToList();
        var detail = unavailable.Count > 0
            ? "the local repository lacks: " + string.Join("; ", unavailable.Select(l => l.Replace("E: ", "", StringComparison.Ordinal)))
            : unmet.Count > 0
                ? "the local repository cannot satisfy: " + string.Join("; ", unmet)
                : string.Join('\n', result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
        return new ToolException("apt-get", result.ExitCode, detail, $"apt-get install {string.Join(' ', packages)} failed: {detail}");
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // --error-on=any: an index that cannot be read (a broken or half-copied local repo) fails here, not at install time.
        await processes.RunAsync(new ProcessSpec("apt-get", ["update", "--error-on=any"])
        {
            Environment = Environment,
            Timeout = TimeSpan.FromMinutes(10),
        }, cancellationToken);
    }
}

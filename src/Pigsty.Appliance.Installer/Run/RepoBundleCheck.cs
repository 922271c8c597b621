using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Verify;

namespace Pigsty.Appliance.Installer.Run;

/// <summary>The bundle verifier applied to the node's /www/pigsty: every file against repo_complete, the indexes, signatures.</summary>
public sealed class RepoBundleCheck(IProcessRunner runner, ILogger<BundleVerifier> logger) : IBundleCheck
{
    public async Task<string> VerifyAsync(string repoDirectory, CancellationToken cancellationToken)
    {
        var report = await new BundleVerifier(runner, logger).VerifyAsync(repoDirectory, cancellationToken);
        return $"{report.Files} files, {report.Packages} packages, {report.Bytes / 1048576.0:0} MiB verified against repo_complete in {report.Elapsed.TotalSeconds:0.0} s"
            + (report.Signed ? " (signed)" : "");
    }
}

using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Bootstrap;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Bundler.Repo;

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>Proves a built repo against real peers: stock apt can install every requested package from it alone, and mmdebstrap can bootstrap from it.</summary>
public sealed class BundleProof(IProcessRunner runner, ILogger<BundleProof> logger) : IRepoProofs
{
    /// <summary>The programs whose behaviour the proofs stand for; a new version of either proves again.</summary>
    private static readonly string[] ToolPackages = ["apt", "mmdebstrap"];

    /// <summary><c>dpkg-query</c>'s "package version" lines for apt and mmdebstrap (a package not installed reads as absent).</summary>
    public async Task<string> ToolsAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("dpkg-query", ["-W", "-f", "${Package} ${Version}\n", .. ToolPackages])
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(1),
        }, cancellationToken);
        return result.StandardOutput;
    }

    /// <summary>In a clean apt root whose only source is the repo, <c>apt-get install -s</c> of <paramref name="packages"/> must succeed.</summary>
    public async Task<int> ProveInstallableAsync(string repoDir, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("pigsty-proof-apt-");
        try
        {
            // A signed repo is proven as the nodes use it: apt checks InRelease against the repo's own key (signed-by).
            var apt = CleanAptRoot.Create(runner, work.FullName, [$"deb [{LocalRepoSource.Options(repoDir)}] file:{Path.GetFullPath(repoDir)} ./"]);
            var update = await apt.UpdateAsync(cancellationToken);
            if (!update.Succeeded)
            {
                throw new IntegrityException($"apt-get update refuses the repo {repoDir}:\n{Tail(update.StandardError)}");
            }

            var simulation = await apt.SimulateInstallAsync(packages, cancellationToken);
            if (!simulation.Succeeded)
            {
                throw new IntegrityException(
                    $"stock apt cannot install every requested package from {repoDir} alone:\n{Tail(simulation.StandardOutput + simulation.StandardError)}");
            }

            var count = CleanAptRoot.Installs(simulation.StandardOutput).Count;
            logger.LogInformation("apt-get install -s of {Requested} packages from the repo alone: {Count} would be installed", packages.Count, count);
            return count;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary><c>mmdebstrap --variant=minbase</c> of <paramref name="include"/> with the repo as its only mirror must succeed.</summary>
    public async Task ProveBootstrapAsync(string repoDir, IReadOnlyList<string> include, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("pigsty-proof-mmdebstrap-");
        try
        {
            var target = Path.Combine(work.FullName, "rootfs.tar");
            await new Mmdebstrap(runner).RunAsync(new MmdebstrapRequest(repoDir, target, include) { Environment = InitramfsOnce.Deferred }, cancellationToken);
            logger.LogInformation("mmdebstrap bootstrapped {Count} requested packages from the repo alone ({Size} MiB tarball)",
                include.Count, new FileInfo(target).Length >> 20);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Tail(string text) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20));
}

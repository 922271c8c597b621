using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Bundler.Bootstrap;

/// <summary>mmdebstrap with a bundle's flat repo as its only mirror: no other source is reachable or needed.</summary>
public sealed class Mmdebstrap(IProcessRunner runner)
{
    /// <summary>Bootstraps; failure is an integrity error with mmdebstrap's own last lines (the repo cannot carry the set).</summary>
    public async Task RunAsync(MmdebstrapRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var format = request.Target.EndsWith(".tar", StringComparison.Ordinal) ? "tar" : "directory";

        // copy:// rather than file://: the chroot cannot see the host path, so mmdebstrap copies what it installs.
        var mirror = $"deb [{LocalRepoSource.Options(request.RepoDirectory)}] copy://{Path.GetFullPath(request.RepoDirectory)} ./";
        var result = await runner.RunAsync(new ProcessSpec("mmdebstrap",
        [
            $"--variant={request.Variant}", "--mode=root", $"--format={format}", "--quiet",
            "--aptopt=Acquire::Languages \"none\"",
            $"--include={string.Join(',', request.Include)}",
            .. request.DpkgOptions.Select(o => $"--dpkgopt={o}"),
            .. request.SetupHooks.Select(h => $"--setup-hook={h}"),
            .. request.CustomizeHooks.Select(h => $"--customize-hook={h}"),
            // Our flat repo's Release names its suite 'pigsty': minbase selects Priority: required by that name.
            new RepoOptions { Date = default }.Suite, request.Target, mirror,
        ])
        {
            Timeout = TimeSpan.FromMinutes(30),
            ThrowOnNonZeroExit = false,
            Environment = request.Environment,
        }, cancellationToken);
        if (!result.Succeeded)
        {
            var tail = string.Join('\n', result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20));
            throw new IntegrityException($"mmdebstrap cannot bootstrap {string.Join(", ", request.Include)} from {request.RepoDirectory} alone:\n{tail}");
        }
    }
}

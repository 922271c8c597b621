using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>Checks InRelease and Release.gpg with gpgv against the bundled public key, as apt with <c>signed-by</c> would.</summary>
internal sealed class SignatureChecks(IProcessRunner runner)
{
    /// <summary>Checks whichever signatures the bundle carries; true when at least one is present.</summary>
    public async Task<bool> RunAsync(BundleSnapshot snapshot, List<string> problems, CancellationToken cancellationToken)
    {
        var inRelease = snapshot.Content(RepoLayout.InRelease);
        var detached = snapshot.Content(RepoLayout.ReleaseGpg);
        if (inRelease is null && detached is null)
        {
            return false;
        }

        if (snapshot.Content(RepoLayout.PublicKey) is not { } key)
        {
            problems.Add($"the repo is signed but {RepoLayout.PublicKey} (the key to check {RepoLayout.InRelease} against) is missing");
            return true;
        }

        var work = Directory.CreateTempSubdirectory("pigsty-verify-").FullName;
        try
        {
            var keyring = Path.Combine(work, RepoLayout.PublicKey);
            await File.WriteAllBytesAsync(keyring, key, cancellationToken);
            if (inRelease is not null)
            {
                await CheckInReleaseAsync(snapshot, work, keyring, inRelease, problems, cancellationToken);
            }

            if (detached is not null)
            {
                await CheckDetachedAsync(snapshot, work, keyring, detached, problems, cancellationToken);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return true;
    }

    private async Task CheckInReleaseAsync(BundleSnapshot snapshot, string work, string keyring, byte[] inRelease,
        List<string> problems, CancellationToken cancellationToken)
    {
        var signed = Path.Combine(work, RepoLayout.InRelease);
        var text = Path.Combine(work, "InRelease.text");
        await File.WriteAllBytesAsync(signed, inRelease, cancellationToken);
        var result = await GpgvAsync(["--keyring", keyring, "--output", text, signed], cancellationToken);
        if (!result.Succeeded)
        {
            problems.Add($"{RepoLayout.InRelease}: the signature does not verify against {RepoLayout.PublicKey}: {Tail(result)}");
            return;
        }

        // apt trusts the signed text, so that text is what must match the indexes (and the plain Release).
        var content = await File.ReadAllBytesAsync(text, cancellationToken);
        BundleChecks.Release(snapshot, $"{RepoLayout.InRelease} (signed text)", content, problems);
        if (snapshot.Content(RepoLayout.Release) is { } release
            && AtomicFile.Utf8.GetString(release).TrimEnd('\n') != AtomicFile.Utf8.GetString(content).TrimEnd('\n'))
        {
            problems.Add($"{RepoLayout.InRelease} and {RepoLayout.Release} differ");
        }
    }

    private async Task CheckDetachedAsync(BundleSnapshot snapshot, string work, string keyring, byte[] detached,
        List<string> problems, CancellationToken cancellationToken)
    {
        if (snapshot.Content(RepoLayout.Release) is not { } release)
        {
            problems.Add($"{RepoLayout.ReleaseGpg} is present but {RepoLayout.Release} is missing");
            return;
        }

        var signature = Path.Combine(work, RepoLayout.ReleaseGpg);
        var data = Path.Combine(work, RepoLayout.Release);
        await File.WriteAllBytesAsync(signature, detached, cancellationToken);
        await File.WriteAllBytesAsync(data, release, cancellationToken);
        var result = await GpgvAsync(["--keyring", keyring, signature, data], cancellationToken);
        if (!result.Succeeded)
        {
            problems.Add($"{RepoLayout.ReleaseGpg}: the signature of {RepoLayout.Release} does not verify against {RepoLayout.PublicKey}: {Tail(result)}");
        }
    }

    private Task<ProcessResult> GpgvAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ProcessSpec("gpgv", arguments) { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(1) }, cancellationToken);

    private static string Tail(ProcessResult result) =>
        string.Join(" / ", result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(2));
}

using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>Signs a Release with gpg in a throwaway GNUPGHOME, so the user's own keyring is never read or changed.</summary>
internal sealed class ReleaseSigner(IProcessRunner runner)
{
    private static readonly TimeSpan GpgTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Imports or generates the key, then produces InRelease, Release.gpg and the binary public key.</summary>
    public async Task<SignedRelease> SignAsync(byte[] release, RepoSigning signing, CancellationToken cancellationToken)
    {
        var home = Directory.CreateTempSubdirectory("pigsty-gpg-").FullName;
        try
        {
            var releasePath = Path.Combine(home, RepoLayout.Release);
            await File.WriteAllBytesAsync(releasePath, release, cancellationToken);
            await ObtainKeyAsync(home, signing, cancellationToken);
            var fingerprint = await FingerprintAsync(home, signing, cancellationToken);
            var signer = $"{fingerprint}!";
            var inRelease = Path.Combine(home, RepoLayout.InRelease);
            var detached = Path.Combine(home, RepoLayout.ReleaseGpg);
            var publicKey = Path.Combine(home, RepoLayout.PublicKey);
            await GpgAsync(home, signing, ["--local-user", signer, "--digest-algo", "SHA512", "--clearsign", "--output", inRelease, releasePath], cancellationToken);
            await GpgAsync(home, signing, ["--local-user", signer, "--digest-algo", "SHA512", "--armor", "--detach-sign", "--output", detached, releasePath], cancellationToken);
            await GpgAsync(home, signing, ["--export", "--output", publicKey, fingerprint], cancellationToken);
            if (signing.SecretKeyFile is null && signing.SaveGeneratedKeyTo is { } keep)
            {
                var secret = Path.Combine(home, "secret.asc");
                await GpgAsync(home, signing, ["--armor", "--export-secret-keys", "--output", secret, fingerprint], cancellationToken);
                if (Path.GetDirectoryName(Path.GetFullPath(keep)) is { } directory && !Directory.Exists(directory))
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                await AtomicFile.WriteAllBytesAsync(keep, await File.ReadAllBytesAsync(secret, cancellationToken), cancellationToken,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return new SignedRelease(
                fingerprint,
                await File.ReadAllBytesAsync(inRelease, cancellationToken),
                await File.ReadAllBytesAsync(detached, cancellationToken),
                await File.ReadAllBytesAsync(publicKey, cancellationToken));
        }
        finally
        {
            await StopAgentAsync(home);
            TryDelete(home);
        }
    }

    /// <summary>Stops the agent gpg started for this home, which would otherwise outlive us; best effort, it must not hide the real error.</summary>
    private async Task StopAgentAsync(string home)
    {
        try
        {
            await runner.RunAsync(new ProcessSpec("gpgconf", ["--kill", "all"])
            {
                Environment = new Dictionary<string, string?> { ["GNUPGHOME"] = home },
                ThrowOnNonZeroExit = false,
                Timeout = GpgTimeout,
            }, CancellationToken.None);
        }
        catch (ApplianceException)
        {
            // gpgconf missing or hung: the agent exits by itself once its home is gone.
        }
    }

    private async Task ObtainKeyAsync(string home, RepoSigning signing, CancellationToken cancellationToken)
    {
        if (signing.SecretKeyFile is not { } keyFile)
        {
            await GpgAsync(home, signing, ["--quick-generate-key", signing.GeneratedKeyUid, "ed25519", "sign", "never"], cancellationToken);
            return;
        }

        if (!File.Exists(keyFile))
        {
            throw new InputException(keyFile, "the repo signing key file does not exist");
        }

        await GpgAsync(home, signing, ["--import", Path.GetFullPath(keyFile)], cancellationToken);
    }

    private async Task<string> FingerprintAsync(string home, RepoSigning signing, CancellationToken cancellationToken)
    {
        var listing = await GpgAsync(home, signing, ["--with-colons", "--list-secret-keys"], cancellationToken);
        var fingerprints = new List<string>();
        string? previous = null;
        foreach (var line in listing.Split('\n'))
        {
            var fields = line.Split(':');
            if (fields[0] == "fpr" && previous == "sec" && fields.Length > 9)
            {
                fingerprints.Add(fields[9]);
            }

            previous = fields[0];
        }

        return fingerprints.Count == 1
            ? fingerprints[0]
            : throw new InputException(signing.SecretKeyFile ?? "generated key",
                $"expected exactly one OpenPGP secret key, found {fingerprints.Count}");
    }

    private async Task<string> GpgAsync(string home, RepoSigning signing, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // Loopback pinentry with the passphrase on stdin: no agent dialog, and the passphrase is never on a command line.
        List<string> all = ["--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback"];
        all.AddRange(signing.Passphrase is null ? ["--passphrase", ""] : ["--passphrase-fd", "0"]);
        all.AddRange(arguments);
        var result = await runner.RunAsync(new ProcessSpec("gpg", all)
        {
            Environment = new Dictionary<string, string?> { ["GNUPGHOME"] = home },
            StandardInput = signing.Passphrase,
            Secrets = signing.Passphrase is { } secret ? [secret] : [],
            Timeout = GpgTimeout,
        }, cancellationToken);
        return result.StandardOutput;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A socket the agent is still closing; the temp dir is harmless.
        }
    }
}

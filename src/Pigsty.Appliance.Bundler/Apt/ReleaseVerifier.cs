using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>Checks (In)Release signatures with <c>gpgv</c> against one keyring and returns only the bytes gpgv vouched for.</summary>
public sealed class ReleaseVerifier(IProcessRunner runner)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Verifies a clear-signed InRelease and returns the signed text gpgv extracted (never the raw file).</summary>
    /// <param name="label">Names the file in errors, e.g. <c>debian bookworm InRelease</c>.</param>
    public async Task<byte[]> VerifyClearSignedAsync(string inRelease, string keyring, string label, CancellationToken cancellationToken)
    {
        CheckKeyring(keyring, label);
        var output = inRelease + ".verified";
        File.Delete(output);
        try
        {
            var result = await RunAsync(["--output", output, inRelease], keyring, cancellationToken);
            Check(result, keyring, label);
            return await File.ReadAllBytesAsync(output, cancellationToken);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Verifies a Release file against its detached Release.gpg; the caller parses exactly the bytes it passed.</summary>
    public async Task VerifyDetachedAsync(string release, string signature, string keyring, string label, CancellationToken cancellationToken)
    {
        CheckKeyring(keyring, label);
        var result = await RunAsync([signature, release], keyring, cancellationToken);
        Check(result, keyring, label);
    }

    private Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string keyring, CancellationToken cancellationToken) =>
        runner.RunAsync(new ProcessSpec("gpgv", ["--status-fd", "1", "--keyring", Path.GetFullPath(keyring), .. arguments])
        {
            ThrowOnNonZeroExit = false,
            Timeout = Timeout,
            Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
        }, cancellationToken);

    private static void CheckKeyring(string keyring, string label)
    {
        if (!File.Exists(keyring))
        {
            throw new IntegrityException($"{label}: keyring {keyring} does not exist, so the signature cannot be checked " +
                "(install debian-archive-keyring, or name the upstream's keyring)");
        }
    }

    /// <summary>Accepts when at least one signature is good and valid (as apt does) and none is bad.</summary>
    private static void Check(ProcessResult result, string keyring, string label)
    {
        var status = result.StandardOutput.Split('\n')
            .Where(line => line.StartsWith("[GNUPG:] ", StringComparison.Ordinal))
            .Select(line => line[9..].Split(' ', 3))
            .ToList();
        bool Has(string keyword) => status.Any(s => s[0] == keyword);
        string Key(string keyword) => status.Where(s => s[0] == keyword && s.Length > 1).Select(s => s[1]).FirstOrDefault() ?? "?";

        if (Has("BADSIG"))
        {
            throw new IntegrityException($"{label}: BAD signature by key {Key("BADSIG")}: the file was altered after signing");
        }

        if (Has("GOODSIG") && Has("VALIDSIG"))
        {
            return;
        }

        var reason = true switch
        {
            _ when Has("NO_PUBKEY") => $"it is signed by key {Key("NO_PUBKEY")}, which is not in keyring {keyring}",
            _ when Has("EXPKEYSIG") => $"it is signed by the expired key {Key("EXPKEYSIG")}",
            _ when Has("REVKEYSIG") => $"it is signed by the revoked key {Key("REVKEYSIG")}",
            _ when Has("EXPSIG") => "its signature has expired",
            _ when Has("ERRSIG") => $"its signature by key {Key("ERRSIG")} could not be checked",
            _ when Has("NODATA") || status.Count == 0 => "it is not signed",
            _ => "gpgv reported no good signature",
        };
        var detail = result.StandardError.Trim();
        throw new IntegrityException($"{label}: signature check failed: {reason}" +
            (detail.Length > 0 ? $" (gpgv: {detail.ReplaceLineEndings(" ")})" : ""));
    }
}

using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// Commands in the guest over SSH (OpenSSH client, an ephemeral key the test seed authorised): to a forwarded loopback port, or to
/// the guest's own address from inside the test's network namespace (<paramref name="networkNamespace"/>).
/// </summary>
internal sealed class GuestShell(IProcessRunner runner, string key, int port, string user, string host = "127.0.0.1", string? networkNamespace = null)
{
    /// <summary>Makes an ed25519 key pair in <paramref name="directory"/>; returns (private key path, public key line).</summary>
    public static async Task<(string Key, string PublicKey)> CreateKeyAsync(IProcessRunner runner, string directory, CancellationToken cancellationToken)
    {
        var key = Path.Combine(directory, "boottest_ed25519");
        File.Delete(key);
        File.Delete(key + ".pub");
        await runner.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pigsty-boottest", "-f", key), cancellationToken);
        return (key, (await File.ReadAllTextAsync(key + ".pub", cancellationToken)).Trim());
    }

    /// <summary>Runs <paramref name="command"/> (a shell line on the guest); the result is returned, not thrown.</summary>
    public Task<ProcessResult> RunAsync(string command, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var spec = new ProcessSpec("ssh",
        [
            "-i", key, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=15", "-o", "LogLevel=ERROR",
            $"{user}@{host}", command,
        ])
        {
            ThrowOnNonZeroExit = false,
            Timeout = timeout ?? TimeSpan.FromMinutes(10),
        };
        return runner.RunAsync(networkNamespace is null ? spec : Network.TestNetwork.Inside(networkNamespace, spec), cancellationToken);
    }
}

using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>Commands in the guest over SSH (OpenSSH client, forwarded port, an ephemeral key the test seed authorised).</summary>
internal sealed class GuestShell(IProcessRunner runner, string key, int port, string user)
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
    public Task<ProcessResult> RunAsync(string command, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        runner.RunAsync(new ProcessSpec("ssh",
        [
            "-i", key, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=15", "-o", "LogLevel=ERROR",
            $"{user}@127.0.0.1", command,
        ])
        {
            ThrowOnNonZeroExit = false,
            Timeout = timeout ?? TimeSpan.FromMinutes(10),
        }, cancellationToken);
}

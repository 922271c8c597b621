using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Core.Processes;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// Commands in the guest over one SSH.NET connection (an ephemeral key the test seed authorised), kept open between commands and
/// made again once it broke or a command timed out. It goes to a forwarded loopback port, or to the guest's own address inside the
/// test's network namespace through a <see cref="NamespaceForward"/>. The guest's host key is not checked: the guests are this
/// run's own VMs, on a network or a loopback port only this run can reach.
/// </summary>
internal sealed class GuestShell(string key, int port, string user, string host = "127.0.0.1", string? networkNamespace = null) : IDisposable
{
    /// <summary>The exit code a command gets when no SSH connection could run it (what OpenSSH's client exits with).</summary>
    public const int ConnectionFailed = 255;

    /// <summary>The exit code a command gets when it ran past its timeout (what timeout(1) exits with).</summary>
    public const int TimedOut = 124;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NamespaceForward? _forward;
    private SshClient? _client;

    /// <summary>Makes an ed25519 key pair in <paramref name="directory"/>; returns (private key path, public key line).</summary>
    public static async Task<(string Key, string PublicKey)> CreateKeyAsync(IProcessRunner runner, string directory, CancellationToken cancellationToken)
    {
        var key = Path.Combine(directory, "boottest_ed25519");
        File.Delete(key);
        File.Delete(key + ".pub");
        await runner.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pigsty-boottest", "-f", key), cancellationToken);
        return (key, (await File.ReadAllTextAsync(key + ".pub", cancellationToken)).Trim());
    }

    /// <summary>
    /// Runs <paramref name="command"/> (a shell line on the guest), one at a time per shell; the result is returned, not thrown:
    /// <see cref="ConnectionFailed"/> or <see cref="TimedOut"/> with the reason as standard error when it could not run or finish.
    /// </summary>
    public async Task<ProcessResult> RunAsync(string command, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(limit);
            SshClient client;
            try
            {
                client = await ConnectAsync(bounded.Token);
            }
            catch (Exception e) when (IsConnectionError(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Drop();
                var why = _forward?.LastError ?? (e is OperationCanceledException ? $"no connection within {limit.TotalSeconds:0} s" : e.Message);
                return new ProcessResult(ConnectionFailed, "", $"ssh {user}@{host}: {why}", clock.Elapsed);
            }

            using var ssh = client.CreateCommand(command, Encoding.UTF8);
            try
            {
                await ssh.ExecuteAsync(bounded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Drop();
                return new ProcessResult(TimedOut, "", $"ssh {user}@{host}: '{command}' did not finish within {limit.TotalSeconds:0} s", clock.Elapsed);
            }
            catch (Exception e) when (IsConnectionError(e))
            {
                Drop();
                return new ProcessResult(ConnectionFailed, "", $"ssh {user}@{host}: the connection broke while '{command}' ran: {e.Message}", clock.Elapsed);
            }

            return ssh.ExitStatus is { } status
                ? new ProcessResult(status, ssh.Result, ssh.Error, clock.Elapsed)
                : new ProcessResult(ConnectionFailed, ssh.Result, $"{ssh.Error}ssh {user}@{host}: '{command}' ended by signal {ssh.ExitSignal}", clock.Elapsed);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        Drop();
        _forward?.Dispose();
        _gate.Dispose();
    }

    private static bool IsConnectionError(Exception e) => e is SshException or SocketException or TimeoutException or IOException or ObjectDisposedException;

    private async Task<SshClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }

        Drop();
        var (address, to) = (host, port);
        if (networkNamespace is not null)
        {
            _forward ??= NamespaceForward.Start(networkNamespace, new IPEndPoint(IPAddress.Parse(host), port));
            (address, to) = ("127.0.0.1", _forward.Port);
        }

        var privateKey = new PrivateKeyFile(key);
        var client = new SshClient(new ConnectionInfo(address, to, user, new PrivateKeyAuthenticationMethod(user, privateKey)) { Timeout = ConnectTimeout });
        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        return client;
    }

    private void Drop()
    {
        _client?.Dispose();
        _client = null;
    }
}

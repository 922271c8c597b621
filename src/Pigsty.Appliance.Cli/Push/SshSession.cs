using System.Net.Sockets;
using System.Text;
using Pigsty.Appliance.Core.Errors;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>
/// One authenticated, host-key-checked SSH connection to a host: commands with their output streamed line by line, and SFTP uploads.
/// Every way a connection can fail (unreachable, host key unknown or changed, key refused) is a <see cref="HostRefusedException"/>
/// that says what to do, raised before anything ran on the host.
/// </summary>
public sealed class SshSession : IDisposable
{
    private readonly SshClient _ssh;
    private readonly SftpClient _sftp;

    private SshSession(SshTarget target, SshClient ssh, SftpClient sftp)
    {
        Target = target;
        _ssh = ssh;
        _sftp = sftp;
    }

    /// <summary>The host this session is connected to.</summary>
    public SshTarget Target { get; }

    /// <summary>Connects (command and SFTP channels), checking the host key against the known_hosts file first.</summary>
    public static async Task<SshSession> ConnectAsync(SshTarget target, SshOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var key = LoadKey(options.KeyFile);
        var pin = new HostKeyPin(target, options);
        var ssh = new SshClient(Connection(target, options, key));
        var sftp = new SftpClient(Connection(target, options, key));
        ssh.HostKeyReceived += pin.Judge;
        sftp.HostKeyReceived += pin.Judge;
        try
        {
            await ssh.ConnectAsync(cancellationToken);
            await sftp.ConnectAsync(cancellationToken);
            return new SshSession(target, ssh, sftp);
        }
        catch (Exception e) when (e is SshException or SocketException or TimeoutException or IOException)
        {
            ssh.Dispose();
            sftp.Dispose();
            throw pin.Refusal(e);
        }
        catch
        {
            ssh.Dispose();
            sftp.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> in the user's shell (stderr joined to stdout), handing each output line over as it comes; returns the exit status.</summary>
    public async Task<int> RunAsync(string command, Func<string, Task> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onLine);
        using var ssh = _ssh.CreateCommand($"{{ {command}\n}} 2>&1", Encoding.UTF8);
        var execution = ssh.ExecuteAsync(cancellationToken);
        using (var reader = new StreamReader(ssh.OutputStream, Encoding.UTF8))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                await onLine(line);
            }
        }

        await execution;
        return ssh.ExitStatus ?? throw new HostRefusedException(Target.Name, $"'{command}' ended without an exit status (signal {ssh.ExitSignal})");
    }

    /// <summary>Runs <paramref name="command"/> and returns its exit status and whole output (stderr joined to stdout).</summary>
    public async Task<(int ExitCode, string Output)> CaptureAsync(string command, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        var code = await RunAsync(command, line =>
        {
            output.Append(line).Append('\n');
            return Task.CompletedTask;
        }, cancellationToken);
        return (code, output.ToString());
    }

    /// <summary>Uploads <paramref name="content"/> to <paramref name="remotePath"/> (written under a temporary name, then renamed), with <paramref name="mode"/>.</summary>
    public async Task UploadAsync(Stream content, string remotePath, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var partial = remotePath + ".partial";
        await _sftp.UploadFileAsync(content, partial, cancellationToken);
        _sftp.ChangePermissions(partial, OctalDigits(mode));
        if (await _sftp.ExistsAsync(remotePath, cancellationToken))
        {
            await _sftp.DeleteFileAsync(remotePath, cancellationToken);
        }

        await _sftp.RenameFileAsync(partial, remotePath, cancellationToken);
    }

    /// <summary>Creates a remote directory (mode 0700) unless it exists.</summary>
    public async Task CreatePrivateDirectoryAsync(string remotePath, CancellationToken cancellationToken)
    {
        if (!await _sftp.ExistsAsync(remotePath, cancellationToken))
        {
            await _sftp.CreateDirectoryAsync(remotePath, cancellationToken);
        }

        _sftp.ChangePermissions(remotePath, OctalDigits(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    public void Dispose()
    {
        _sftp.Dispose();
        _ssh.Dispose();
    }

    /// <summary>SSH.NET takes a mode as the decimal number that reads like its octal digits (0750 as 750).</summary>
    private static short OctalDigits(UnixFileMode mode)
    {
        var bits = (int)mode & 0x1FF;
        return (short)(((bits >> 6) & 7) * 100 + ((bits >> 3) & 7) * 10 + (bits & 7));
    }

    private static PrivateKeyFile LoadKey(string path)
    {
        try
        {
            return new PrivateKeyFile(path);
        }
        catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new UsageException($"--ssh-key {path}: cannot read it as an SSH private key without a passphrase ({e.Message})");
        }
    }

    private static ConnectionInfo Connection(SshTarget target, SshOptions options, PrivateKeyFile key)
    {
        var info = new ConnectionInfo(target.Host, target.Port, target.User, new PrivateKeyAuthenticationMethod(target.User, key))
        {
            Timeout = options.ConnectTimeout,
        };

        // A host the file pins is asked for a key of a pinned type, so that a host with several keys is judged by the one pinned.
        var pinned = options.KnownHosts.KeyTypesFor(target.KnownHostName);
        if (pinned.Count > 0)
        {
            foreach (var algorithm in info.HostKeyAlgorithms.Keys.Where(a => !pinned.Contains(KeyTypeOf(a), StringComparer.Ordinal)).ToList())
            {
                info.HostKeyAlgorithms.Remove(algorithm);
            }
        }

        return info;
    }

    /// <summary>The key type a host key algorithm signs with: RSA keys sign as rsa-sha2-256/512 but are filed as ssh-rsa.</summary>
    private static string KeyTypeOf(string algorithm) => algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal) ? "ssh-rsa" : algorithm;

    /// <summary>Judges the presented host key and remembers why it refused one, for the message.</summary>
    private sealed class HostKeyPin(SshTarget target, SshOptions options)
    {
        private HostKeyVerdict? _refused;
        private string _presented = "";

        public void Judge(object? sender, HostKeyEventArgs e)
        {
            var verdict = options.KnownHosts.Check(target.KnownHostName, e.HostKey);
            _presented = $"{KnownHosts.KeyType(e.HostKey)} {KnownHosts.Fingerprint(e.HostKey)}";
            if (verdict == HostKeyVerdict.Unknown && options.TrustNewHostKeys)
            {
                options.KnownHosts.Record(target.KnownHostName, e.HostKey);
                verdict = HostKeyVerdict.Known;
            }

            e.CanTrust = verdict == HostKeyVerdict.Known;
            _refused = e.CanTrust ? null : verdict;
        }

        public HostRefusedException Refusal(Exception e) => _refused switch
        {
            HostKeyVerdict.Mismatch => new HostRefusedException(target.Name,
                $"host key mismatch at {target.KnownHostName}: it presented {_presented}, but {options.KnownHosts.Path} pins another key for it "
                + $"(or revokes this one). Nothing was done on it. If the host was reinstalled, check its new key out of band, then remove the old "
                + $"line (ssh-keygen -R '{target.KnownHostName}' -f {options.KnownHosts.Path})", e),
            HostKeyVerdict.Unknown => new HostRefusedException(target.Name,
                $"host key not known: {target.KnownHostName} presented {_presented} and {options.KnownHosts.Path} pins no key for it. "
                + "Nothing was done on it. Add its key to that file (checked out of band), or deploy with --trust-new-host-keys to record it on first use", e),
            _ => e switch
            {
                SshAuthenticationException => new HostRefusedException(target.Name,
                    $"{target} refused key authentication as {target.User} ({e.Message}): put the public half of --ssh-key in its authorized_keys", e),
                SocketException or TimeoutException or SshOperationTimeoutException => new HostRefusedException(target.Name,
                    $"unreachable at {target.Host}:{target.Port} ({e.Message})", e),
                _ => new HostRefusedException(target.Name, $"SSH to {target} failed ({e.Message})", e),
            },
        };
    }
}

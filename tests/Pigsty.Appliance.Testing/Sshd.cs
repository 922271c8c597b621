using System.Net.Sockets;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// Debian's OpenSSH sshd for one test: its own host key, config and authorized_keys in a temp directory, listening on a free
/// 127.0.0.1 port only, run in the foreground (-D) as the test's child and stopped with it. It logs in the test's own user by key.
/// </summary>
public sealed class Sshd : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Daemons _daemons = new();

    private Sshd()
    {
        Port = FreePort.Next();
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The client's private key (no passphrase), authorized for the test's user.</summary>
    public string ClientKey => _temp.File("id_ed25519");

    /// <summary>The server's public host key, as a known_hosts line for 127.0.0.1 on <see cref="Port"/>.</summary>
    public string KnownHostsLine => $"[127.0.0.1]:{Port} " + string.Join(' ', File.ReadAllText(_temp.File("host_ed25519.pub")).Split(' ').Take(2));

    /// <summary>The user the client logs in as: the one running the test (sshd not run by root can log in nobody else).</summary>
    public static string User => Environment.UserName;

    /// <summary>Makes the keys and config, starts sshd and waits until it accepts connections.</summary>
    public static async Task<Sshd> StartAsync()
    {
        var sshd = new Sshd();
        try
        {
            await sshd.RunAsync();
            return sshd;
        }
        catch
        {
            sshd.Dispose();
            throw;
        }
    }

    /// <summary>A second host key of the same type: what a reinstalled host (or an impostor) presents.</summary>
    public async Task<string> OtherKnownHostsLineAsync()
    {
        var other = _temp.File("other_ed25519");
        await RealTool.CheckAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other", "-f", other);
        return $"[127.0.0.1]:{Port} " + string.Join(' ', File.ReadAllText(other + ".pub").Split(' ').Take(2));
    }

    public void Dispose()
    {
        try
        {
            _daemons.Dispose();
        }
        finally
        {
            _temp.Dispose();
        }
    }

    private async Task RunAsync()
    {
        var sshd = RealTool.Require("/usr/sbin/sshd");
        await RealTool.CheckAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host", "-f", _temp.File("host_ed25519"));
        await RealTool.CheckAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "client", "-f", ClientKey);
        var authorized = _temp.Write("authorized_keys", await File.ReadAllTextAsync(ClientKey + ".pub"));
        File.SetUnixFileMode(authorized, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var config = _temp.Write("sshd_config", $"""
            ListenAddress 127.0.0.1
            HostKey {_temp.File("host_ed25519")}
            AuthorizedKeysFile {authorized}
            PidFile none
            UsePAM no
            StrictModes no
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            Subsystem sftp internal-sftp
            LogLevel ERROR

            """);
        if (Environment.UserName == "root")
        {
            // sshd run by root separates privileges into /run/sshd, which Debian's service unit creates; the test runs no unit.
            Directory.CreateDirectory("/run/sshd");
        }

        _daemons.Start(sshd, "-D", "-e", "-f", config, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            _daemons.ThrowIfDied();
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }
}

using Pigsty.Appliance.Cli.Push;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Push;

/// <summary>SSH.NET against Debian's real sshd on loopback: key login, pinned host keys, refusals that say what to do.</summary>
public sealed class SshSessionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Connects_with_a_pinned_host_key_and_streams_a_commands_lines_and_exit_status()
    {
        using var sshd = await Sshd.StartAsync();
        var knownHosts = _temp.Write("known_hosts", sshd.KnownHostsLine + "\n");

        using var session = await SshSession.ConnectAsync(Target(sshd), Options(sshd, knownHosts, trustNew: false), CancellationToken.None);
        var lines = new List<string>();
        var code = await session.RunAsync("echo one; echo two >&2; exit 3", l => { lines.Add(l); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(3, code);
        Assert.Equal(["one", "two"], lines);
        Assert.Equal(sshd.KnownHostsLine + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Fact]
    public async Task Uploads_a_file_under_a_temporary_name_then_renames_it_with_its_mode()
    {
        using var sshd = await Sshd.StartAsync();
        var knownHosts = _temp.Write("known_hosts", sshd.KnownHostsLine + "\n");
        var target = _temp.File("uploaded.bin");

        using (var session = await SshSession.ConnectAsync(Target(sshd), Options(sshd, knownHosts, trustNew: false), CancellationToken.None))
        {
            using var content = new MemoryStream([1, 2, 3, 4]);
            await session.UploadAsync(content, target,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, CancellationToken.None);
        }

        Assert.Equal([1, 2, 3, 4], await File.ReadAllBytesAsync(target));
        Assert.False(File.Exists(target + ".partial"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(target));
    }

    [Fact]
    public async Task A_host_key_that_differs_from_the_pinned_one_is_refused_with_what_to_do()
    {
        using var sshd = await Sshd.StartAsync();
        var pinned = await sshd.OtherKnownHostsLineAsync();
        var knownHosts = _temp.Write("known_hosts", pinned + "\n");

        var refused = await Assert.ThrowsAsync<HostRefusedException>(() =>
            SshSession.ConnectAsync(Target(sshd), Options(sshd, knownHosts, trustNew: true), CancellationToken.None));

        Assert.Equal(ExitCode.HostRefused, refused.ExitCode);
        Assert.Contains($"host key mismatch at [127.0.0.1]:{sshd.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ssh-keygen -R", refused.Message, StringComparison.Ordinal);
        Assert.Equal(pinned + "\n", await File.ReadAllTextAsync(knownHosts));
    }

    [Fact]
    public async Task An_unknown_host_is_refused_without_the_trust_flag_and_recorded_with_it()
    {
        using var sshd = await Sshd.StartAsync();
        var knownHosts = _temp.File("known_hosts");

        var refused = await Assert.ThrowsAsync<HostRefusedException>(() =>
            SshSession.ConnectAsync(Target(sshd), Options(sshd, knownHosts, trustNew: false), CancellationToken.None));
        Assert.Contains("host key not known", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--trust-new-host-keys", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(knownHosts));

        using (await SshSession.ConnectAsync(Target(sshd), Options(sshd, knownHosts, trustNew: true), CancellationToken.None))
        {
        }

        Assert.Equal(sshd.KnownHostsLine + "\n", await File.ReadAllTextAsync(knownHosts));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(knownHosts));

        // Pinned now: the next connection needs no trust flag.
        using var again = await SshSession.ConnectAsync(Target(sshd), Options(sshd, knownHosts, trustNew: false), CancellationToken.None);
        Assert.Equal(0, (await again.CaptureAsync("true", CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task A_host_nobody_listens_for_is_unreachable()
    {
        // A real key (from a running sshd) so that only the address is wrong; nobody listens on the free port.
        using var sshd = await Sshd.StartAsync();
        var port = FreePort.Next();
        var options = new SshOptions(sshd.ClientKey, KnownHosts.Load(_temp.File("known_hosts")), false, TimeSpan.FromSeconds(5));

        var refused = await Assert.ThrowsAsync<HostRefusedException>(() =>
            SshSession.ConnectAsync(new SshTarget("10.10.10.11", "127.0.0.1", port, Sshd.User), options, CancellationToken.None));

        Assert.Equal($"10.10.10.11: unreachable at 127.0.0.1:{port}", refused.Message[..refused.Message.IndexOf(" (", StringComparison.Ordinal)]);
    }

    private static SshTarget Target(Sshd sshd) => new("10.10.10.10", "127.0.0.1", sshd.Port, Sshd.User);

    private static SshOptions Options(Sshd sshd, string knownHosts, bool trustNew) =>
        new(sshd.ClientKey, KnownHosts.Load(knownHosts), trustNew, TimeSpan.FromSeconds(10));
}

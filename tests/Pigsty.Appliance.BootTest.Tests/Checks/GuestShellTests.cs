using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>BootTest's guest commands over SSH.NET, against Debian's real sshd on loopback (what a forwarded guest port looks like).</summary>
public sealed class GuestShellTests
{
    [Fact]
    public async Task Returns_each_commands_output_error_and_exit_status_over_one_kept_connection()
    {
        using var sshd = await Sshd.StartAsync();
        using var shell = new GuestShell(sshd.ClientKey, sshd.Port, Sshd.User);

        var first = await shell.RunAsync("echo out; echo err >&2; echo $SSH_CONNECTION; exit 3", CancellationToken.None);
        var second = await shell.RunAsync("echo $SSH_CONNECTION", CancellationToken.None);

        Assert.Equal(3, first.ExitCode);
        Assert.Equal("err\n", first.StandardError);
        var lines = first.StandardOutput.Split('\n');
        Assert.Equal("out", lines[0]);
        // The client's source port is the same for both commands: one connection, not one per command.
        Assert.Equal(lines[1], second.StandardOutput.Trim());
        Assert.True(second.Succeeded);
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_reported_as_timed_out_and_the_next_one_connects_again()
    {
        using var sshd = await Sshd.StartAsync();
        using var shell = new GuestShell(sshd.ClientKey, sshd.Port, Sshd.User);

        var slow = await shell.RunAsync("sleep 30", CancellationToken.None, TimeSpan.FromSeconds(2));
        var next = await shell.RunAsync("echo back", CancellationToken.None);

        Assert.Equal(GuestShell.TimedOut, slow.ExitCode);
        Assert.Contains("'sleep 30' did not finish within 2 s", slow.StandardError, StringComparison.Ordinal);
        Assert.True(slow.Duration < TimeSpan.FromSeconds(20), $"took {slow.Duration}");
        Assert.Equal((0, "back\n"), (next.ExitCode, next.StandardOutput));
    }

    [Fact]
    public async Task Nothing_listening_is_a_connection_failure_with_the_reason_not_an_exception()
    {
        using var sshd = await Sshd.StartAsync();
        using var shell = new GuestShell(sshd.ClientKey, FreePort.Next(), Sshd.User);

        var result = await shell.RunAsync("true", CancellationToken.None, TimeSpan.FromSeconds(30));

        Assert.Equal(GuestShell.ConnectionFailed, result.ExitCode);
        Assert.StartsWith($"ssh {Sshd.User}@127.0.0.1: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("refused", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }
}

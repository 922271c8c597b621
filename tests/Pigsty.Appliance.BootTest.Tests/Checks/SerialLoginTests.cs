using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.Installer.Modules.Node;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>The serial-console login's conversation, on the lines Debian 12's agetty, login and pam_unix print for an expired password.</summary>
public sealed class SerialLoginTests
{
    private const string Password = "Xk7pQ2mN9vB4cR8t";
    private const string NewPassword = "new-Secret-42";

    [Fact]
    public void The_banner_the_installer_writes_gives_the_user_and_the_password()
    {
        var banner = AdminPassword.Banner(new NodeAdmin("dba", 1000, []), Password).Split('\n')[0];

        Assert.Equal(("dba", Password), SerialLogin.Banner("[  61.2] " + banner));
        Assert.Null(SerialLogin.Banner("Log in as dba on this console; the password must be changed at once."));
        Assert.Null(SerialLogin.Banner(SerialLogin.BannerPrefix + "dba: "));
    }

    [Fact]
    public void An_expired_one_time_password_is_given_then_changed_and_the_shell_answers()
    {
        var login = new SerialLogin("dba", Password, NewPassword);
        (string Line, string? Typed, SerialLogin.State State)[] transcript =
        [
            ("pigsty login:", "dba\n", SerialLogin.State.Answered),
            ("pigsty login: dba", null, SerialLogin.State.Waiting),
            ("Password:", Password + "\n", SerialLogin.State.Answered),
            ("You are required to change your password immediately (administrator enforced).", null, SerialLogin.State.Waiting),
            ("Changing password for dba.", null, SerialLogin.State.Waiting),
            ("Current password:", Password + "\n", SerialLogin.State.Answered),
            ("New password:", NewPassword + "\n", SerialLogin.State.Answered),
            ("Retype new password:", NewPassword + "\n", SerialLogin.State.Answered),
            ("Linux pigsty 6.1.0-44-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.164-1 (2026-11-02) x86_64", null, SerialLogin.State.Waiting),
            ("dba@pigsty:~$", "echo serial-login-$(id -un)\n", SerialLogin.State.Answered),
            ("dba@pigsty:~$ echo serial-login-$(id -un)", null, SerialLogin.State.Waiting),
            ("serial-login-dba", null, SerialLogin.State.LoggedIn),
        ];

        foreach (var (line, typed, state) in transcript)
        {
            var next = login.Next(line);
            Assert.Equal((typed, state), (next.Type, next.State));
            if (next.Prompt is { } prompt)
            {
                login.Record(prompt);
            }
        }

        Assert.True(login.ChangeForced);
        Assert.Equal(["login:", "Password:", "Current password:", "New password:", "Retype new password:", "$"], login.Answered);
    }

    [Theory]
    [InlineData("Password: [  388.141915] pigsty-appliance[413]: pigsty: NODE: one-time password for dba (node_admin_pk_list is empty): on the local console and /etc/issue.d/pigsty-admin.issue only, changed at first login: done (9.4 s)", Password, "Password:")]
    [InlineData("Current password: [  OK  ] Started victoria-metrics.s…s time series database (vmetrics).", Password, "Current password:")]
    [InlineData("pg-meta-1 login: [  OK  ] Stopped serial-getty@ttyS0…rvice - Serial Getty on ttyS0.", "dba", "login:")]
    [InlineData("[  399.1] pigsty-appliance[413]: pigsty: NODE: changed at first login: done (9.4 s)", null, null)]
    [InlineData("[  OK  ] Started prometheus-alertma…manager: routes the site's alerts.", null, null)]
    public void A_prompt_followed_on_its_line_by_console_messages_is_still_a_prompt(string line, string? typed, string? prompt)
    {
        // Lines from bios-smoke's serial console: kernel and systemd messages land on the prompt's line before anything is typed.
        var next = new SerialLogin("dba", Password, NewPassword).Next(line);

        Assert.Equal((typed is null ? null : typed + "\n", prompt), (next.Type, next.Prompt));
    }

    [Theory]
    [InlineData("Login incorrect")]
    [InlineData("passwd: Authentication token manipulation error")]
    [InlineData("passwd: password unchanged")]
    public void A_refusal_ends_the_conversation(string line)
    {
        Assert.Equal(SerialLogin.State.Refused, new SerialLogin("dba", Password, NewPassword).Next(line).State);
    }

    [Fact]
    public void A_login_without_the_forced_change_is_noticed()
    {
        var login = new SerialLogin("dba", Password, NewPassword);
        foreach (var line in new[] { "pigsty login:", "Password:", "dba@pigsty:~$" })
        {
            login.Record(login.Next(line).Prompt!);
        }

        Assert.False(login.ChangeForced);
        Assert.Equal(SerialLogin.State.LoggedIn, login.Next("serial-login-dba").State);
    }
}

using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// The way in on the embedded default seed (no admin key): the one-time password first boot shows on the local console, a login with it
/// on the serial console, the change it forces, and a shell that answers as the admin user.
/// </summary>
internal sealed class SerialLogin(string user, string password, string newPassword)
{
    /// <summary>How the banner line starts; the user and the password follow.</summary>
    public const string BannerPrefix = AdminPassword.BannerStart;

    private readonly string _marker = $"serial-login-{user}";

    /// <summary>Where the conversation stands after a console line.</summary>
    public enum State { Waiting, Answered, LoggedIn, Refused }

    /// <summary>Prompts were answered in this order (the check's detail).</summary>
    public List<string> Answered { get; } = [];

    /// <summary>True once the system asked for a new password: the one-time password was expired as it should be.</summary>
    public bool ChangeForced { get; private set; }

    /// <summary>The user and password of a banner line, or null for any other line.</summary>
    public static (string User, string Password)? Banner(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var at = line.IndexOf(BannerPrefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = line[(at + BannerPrefix.Length)..];
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        var secret = colon < 0 ? "" : rest[(colon + 2)..].Trim();
        return colon <= 0 || secret.Length == 0 || secret.Contains(' ', StringComparison.Ordinal) ? null : (rest[..colon], secret);
    }

    /// <summary>What to type after <paramref name="line"/> (null for nothing), the prompt it answers, and where the conversation stands.</summary>
    public (string? Type, State State, string? Prompt) Next(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.TrimEnd();
        if (text == _marker)
        {
            return (null, State.LoggedIn, null);
        }

        if (text.Contains("Login incorrect", StringComparison.Ordinal) || text.Contains("Authentication token manipulation error", StringComparison.Ordinal)
            || text.Contains("password unchanged", StringComparison.OrdinalIgnoreCase))
        {
            return (null, State.Refused, null);
        }

        // Longest prompts first: "Retype new password:" also ends like "New password:", and both like "password:".
        (string Prompt, string Answer)[] prompts =
        [
            ("Retype new password:", newPassword),
            ("New password:", newPassword),
            ("Current password:", password),
            ("Password:", password),
            ("login:", user),
            ("$", $"echo {_marker[..^user.Length]}$(id -un)"),
        ];
        foreach (var (prompt, answer) in prompts)
        {
            if (Prompts(text, prompt))
            {
                return (answer + "\n", State.Answered, prompt);
            }
        }

        return (null, State.Waiting, null);
    }

    /// <summary>
    /// True when <paramref name="text"/> ends with <paramref name="prompt"/>, or has it followed only by console messages: the serial
    /// console is also the kernel's and systemd's, so during first boot a prompt can be followed on its line by "[  388.14] …" or
    /// "[  OK  ] Started …" before anything is typed (seen on bios-smoke). The shell's "$" counts only at the end of the line.
    /// </summary>
    private static bool Prompts(string text, string prompt)
    {
        if (prompt == "$")
        {
            return text.EndsWith(prompt, StringComparison.Ordinal);
        }

        for (var at = text.IndexOf(prompt, StringComparison.Ordinal); at >= 0; at = text.IndexOf(prompt, at + 1, StringComparison.Ordinal))
        {
            var rest = text.AsSpan(at + prompt.Length).TrimStart();
            if (rest.IsEmpty || rest[0] == '[')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Notes that <paramref name="prompt"/> was answered.</summary>
    public void Record(string prompt)
    {
        ChangeForced |= prompt.EndsWith("ew password:", StringComparison.Ordinal);
        Answered.Add(prompt);
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the banner, then logs in on the serial console with its password, changes it as forced,
    /// and runs <c>id -un</c> in the shell it gets.
    /// </summary>
    public static async Task<CheckResult> RunAsync(QemuVm vm, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vm);
        const string Name = "login on the serial console with the one-time password shown there, changed at first login";
        var shown = await vm.WaitForLineAsync(l => Banner(l) is not null, wait, cancellationToken);
        if (shown is null || Banner(shown.Text) is not { } banner)
        {
            return new CheckResult(Name, false, $"no '{BannerPrefix}…' line on the console within {wait.TotalMinutes:0} min");
        }

        var login = new SerialLogin(banner.User, banner.Password, Credentials.Generate(20) + "-9x");
        var since = vm.Elapsed;

        // The login prompt was drawn before the banner; Enter draws it again.
        await vm.TypeAsync("\n", cancellationToken);
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var left = until - DateTime.UtcNow;
            var seen = left <= TimeSpan.Zero ? null
                : await vm.WaitForLineSinceAsync(since, l => login.Next(l).State != State.Waiting, left, cancellationToken);
            if (seen is null)
            {
                return new CheckResult(Name, false, $"no answer on the console after {string.Join(" → ", login.Answered.DefaultIfEmpty("Enter"))}");
            }

            since = seen.Elapsed + TimeSpan.FromTicks(1);
            var (type, state, prompt) = login.Next(seen.Text);
            if (state == State.Refused)
            {
                return new CheckResult(Name, false, $"'{seen.Text.Trim()}' after {string.Join(" → ", login.Answered)}");
            }

            if (state == State.LoggedIn)
            {
                return new CheckResult(Name, login.ChangeForced, login.ChangeForced
                    ? $"{banner.User}: {string.Join(" → ", login.Answered)}; the shell answered id -un with {banner.User}"
                    : $"{banner.User} logged in without being made to change the one-time password ({string.Join(" → ", login.Answered)})");
            }

            login.Record(prompt!);
            await vm.TypeAsync(type!, cancellationToken);
        }
    }
}

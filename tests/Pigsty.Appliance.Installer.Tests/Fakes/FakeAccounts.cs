using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>
/// User accounts on a fake machine: useradd adds one, <c>id --user</c> answers as the real id does, since steps check before creating;
/// chpasswd, <c>chage --lastday 0</c> and <c>passwd --status</c> keep and report each user's password.
/// </summary>
internal static class FakeAccounts
{
    /// <summary>The date <c>passwd --status</c> shows for a password set now.</summary>
    public const string Today = "2026-11-30";

    /// <summary>Makes <paramref name="processes"/> keep accounts; answers a test adds later still win.</summary>
    public static ScriptedProcesses Emulate(ScriptedProcesses processes)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        processes.On(s => s.Tool == "useradd", s =>
        {
            users[s.Arguments[^1]] = s.Arguments.SkipWhile(a => a != "--uid").Skip(1).FirstOrDefault() ?? "1000";
            return ScriptedProcesses.Ok();
        });
        processes.On(s => s is { Tool: "id", Arguments: ["--user", _] }, s => users.TryGetValue(s.Arguments[1], out var uid)
            ? ScriptedProcesses.Ok(uid + "\n")
            : ScriptedProcesses.Fail(1, $"id: '{s.Arguments[1]}': no such user\n"));

        // Passwords as shadow keeps them: chpasswd sets one (changed today), chage --lastday 0 expires it, passwd --status reports both.
        var passwords = new Dictionary<string, (string Password, string Changed)>(StringComparer.Ordinal);
        processes.On(s => s.Tool == "chpasswd", s =>
        {
            var (user, password) = (s.StandardInput![..s.StandardInput!.IndexOf(':', StringComparison.Ordinal)], s.StandardInput[(s.StandardInput.IndexOf(':', StringComparison.Ordinal) + 1)..].TrimEnd('\n'));
            passwords[user] = (password, Today);
            return ScriptedProcesses.Ok();
        });
        processes.On(s => s is { Tool: "chage", Arguments: ["--lastday", "0", _] }, s =>
        {
            passwords[s.Arguments[2]] = (passwords[s.Arguments[2]].Password, "1970-01-01");
            return ScriptedProcesses.Ok();
        });
        processes.On(s => s is { Tool: "passwd", Arguments: ["--status", _] }, s => passwords.TryGetValue(s.Arguments[1], out var p)
            ? ScriptedProcesses.Ok($"{s.Arguments[1]} P {p.Changed} 0 99999 7 -1\n")
            : users.ContainsKey(s.Arguments[1]) ? ScriptedProcesses.Ok($"{s.Arguments[1]} L {Today} 0 99999 7 -1\n") : ScriptedProcesses.Fail(1, "passwd: user does not exist\n"));
        return processes;
    }
}

using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>User accounts on a fake machine: useradd adds one, <c>id --user</c> answers as the real id does, since steps check before creating.</summary>
internal static class FakeAccounts
{
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
        return processes;
    }
}

using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Records every command instead of running it; <see cref="Handler"/> answers the ones a test cares about.</summary>
/// <remarks>User accounts are emulated (useradd adds, id answers), since steps check them before creating.</remarks>
internal sealed class FakeProcesses : IProcessRunner
{
    private readonly Dictionary<string, string> _users = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>Answers a command; null (or no handler) means exit 0 with no output.</summary>
    public Func<ProcessSpec, ProcessResult?>? Handler { get; set; }

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (Calls)
        {
            Calls.Add(spec.Display());
            return Task.FromResult(Handler?.Invoke(spec) ?? Accounts(spec) ?? new ProcessResult(0, "", "", TimeSpan.Zero));
        }
    }

    private ProcessResult? Accounts(ProcessSpec spec)
    {
        var arguments = spec.Arguments;
        switch (spec.Tool)
        {
            case "useradd":
                var uid = arguments.SkipWhile(a => a != "--uid").Skip(1).FirstOrDefault() ?? "1000";
                _users[arguments[^1]] = uid;
                return null;
            case "id" when arguments.Count == 2 && arguments[0] == "--user":
                return _users.TryGetValue(arguments[1], out var known)
                    ? new ProcessResult(0, known + "\n", "", TimeSpan.Zero)
                    : new ProcessResult(1, "", $"id: '{arguments[1]}': no such user\n", TimeSpan.Zero);
            default:
                return null;
        }
    }
}

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>
/// A unit as <c>systemctl show</c> gives it after a job was queued with <c>--no-block</c>: whether a job is still pending, and the
/// state the job left. A blocking <c>systemctl start</c> waits for PID 1's JobRemoved signal, which is why it had to keep PID 1 from
/// reloading meanwhile (see <see cref="SystemdCallGate"/>); reading the state needs no signal, so nothing waits behind it.
/// </summary>
public sealed record UnitJobState(string Job, string ActiveState, string SubState, string Result, string Type)
{
    /// <summary>The properties <see cref="Parse"/> reads (<c>systemctl show --property=…</c>).</summary>
    public static readonly IReadOnlyList<string> Properties = ["Job", "ActiveState", "SubState", "Result", "Type"];

    /// <summary>True while the unit has a job queued or running (systemctl prints <c>Job=</c> with its id, or nothing).</summary>
    public bool Pending => Job.Length > 0 && Job != "0";

    public static UnitJobState Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at > 0)
            {
                values[line[..at]] = line[(at + 1)..];
            }
        }

        string Of(string name) => values.GetValueOrDefault(name, "");
        return new UnitJobState(Of("Job"), Of("ActiveState"), Of("SubState"), Of("Result"), Of("Type"));
    }

    /// <summary>
    /// Null when a finished <paramref name="verb"/> job left the unit as asked, else what is wrong. A start, restart or reload must
    /// leave it active (a oneshot service without RemainAfterExit may also have ended with success); a stop must leave it stopped.
    /// </summary>
    public string? Problem(string verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        var done = verb == "stop"
            ? ActiveState is "inactive" or "failed"
            : ActiveState is "active" or "reloading" || (Type == "oneshot" && ActiveState == "inactive" && Result == "success");
        return done ? null : $"the unit is {Describe()} after its {verb} job ended";
    }

    /// <summary>The state as one phrase, e.g. <c>failed (failed, result exit-code)</c>.</summary>
    public string Describe() => $"{(ActiveState.Length > 0 ? ActiveState : "unknown")} ({SubState}, result {Result})";
}

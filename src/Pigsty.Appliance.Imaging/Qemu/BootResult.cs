namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>How a boot went: whether the awaited phase was reached in time, the timeline, and where the console log is.</summary>
public sealed record BootResult(bool Reached, BootPhase Awaited, Accelerator Accelerator, BootTimeline Timeline, IReadOnlyList<ConsoleLine> Console)
{
    /// <summary>The last lines of the console, for error messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', Console.TakeLast(lines).Select(l => l.Text));
}

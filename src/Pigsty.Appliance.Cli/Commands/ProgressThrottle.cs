namespace Pigsty.Appliance.Cli.Commands;

/// <summary>
/// When one plain progress line is worth printing (CI logs, pipes, --json's stderr), where a bar would redraw: at the first
/// report, each time a new tenth is reached, after 5 s without a line, and when the work is finished. Callers serialise calls.
/// </summary>
internal sealed class ProgressThrottle(TimeProvider time)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    private int _lastTenth = -1;
    private long _lastLine;
    private bool _finished;

    /// <summary>True when a line for <paramref name="percent"/> should be printed now; it then counts as printed.</summary>
    public bool ShouldPrint(double percent, bool finished)
    {
        var tenth = (int)Math.Clamp(Math.Floor(percent / 10), 0, 10);
        var now = time.GetTimestamp();
        var print = (finished && !_finished) || tenth > _lastTenth || (_lastTenth >= 0 && time.GetElapsedTime(_lastLine, now) >= Quiet);
        if (print)
        {
            _lastTenth = Math.Max(_lastTenth, tenth);
            _lastLine = now;
            _finished |= finished;
        }

        return print;
    }
}

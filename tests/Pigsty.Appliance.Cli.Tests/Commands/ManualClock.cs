namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>A clock that moves only when a test says so, for progress throttled by time.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}

using Pigsty.Appliance.Cli.Commands;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>Plain progress (CI, pipes): a line at the start, at each new tenth, after 5 s without one, and at the end.</summary>
public sealed class ProgressThrottleTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Prints_the_first_report_and_then_once_per_tenth()
    {
        var throttle = new ProgressThrottle(_clock);

        var printed = Enumerable.Range(0, 201).Select(i => i / 2.0).Where(p => throttle.ShouldPrint(p, finished: false)).ToList();

        Assert.Equal([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], printed);
    }

    [Fact]
    public void A_jump_over_several_tenths_prints_one_line()
    {
        var throttle = new ProgressThrottle(_clock);

        Assert.True(throttle.ShouldPrint(3, finished: false));
        Assert.True(throttle.ShouldPrint(47, finished: false));
        Assert.False(throttle.ShouldPrint(49, finished: false));
        Assert.True(throttle.ShouldPrint(50, finished: false));
    }

    [Fact]
    public void A_slow_stretch_prints_after_5_seconds_without_a_line()
    {
        var throttle = new ProgressThrottle(_clock);
        Assert.True(throttle.ShouldPrint(1, finished: false));

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(throttle.ShouldPrint(2, finished: false));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(throttle.ShouldPrint(3, finished: false));
        Assert.False(throttle.ShouldPrint(4, finished: false));
    }

    [Fact]
    public void The_end_prints_once_even_inside_a_tenth_already_printed()
    {
        var throttle = new ProgressThrottle(_clock);
        Assert.True(throttle.ShouldPrint(95, finished: false));

        Assert.True(throttle.ShouldPrint(97, finished: true));
        Assert.False(throttle.ShouldPrint(97, finished: true));
    }
}

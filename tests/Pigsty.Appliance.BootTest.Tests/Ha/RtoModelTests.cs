using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>Pigsty's node-down RTO model, worked by hand from its formulas for two of its plans.</summary>
public sealed class RtoModelTests
{
    [Fact]
    public void The_default_norm_plan_gives_27_34_and_41_seconds()
    {
        // ttl 30, loop 5, inter 2 s, fastinter 1 s, rise 3: 30-5+0.1+2, 30+1+1+2, 30+5+2+2+2.
        var model = RtoModel.Of(PgRto.Presets["norm"]);

        Assert.Equal((27.1, 34.0, 41.0), (model.Best, model.Average, model.Worst));
        Assert.Contains("pg_rto norm: 27.1 s best, 34.0 s average, 41.0 s worst", model.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_fast_plan_stays_under_30_seconds_even_at_worst()
    {
        // ttl 20, loop 5, inter 1 s, fastinter 0.5 s, rise 3: 20-5+0.1+1, 20+1+0.5+1, 20+5+2+1+1.
        var model = RtoModel.Of(PgRto.Presets["fast"]);

        Assert.Equal((16.1, 22.5, 29.0), (model.Best, model.Average, model.Worst));
    }

    [Theory]
    [InlineData("2s", 2.0)]
    [InlineData("0.5s", 0.5)]
    [InlineData("1500ms", 1.5)]
    [InlineData("750", 0.75)]
    [InlineData("1m", 60.0)]
    public void Haproxy_times_read_in_seconds(string time, double seconds) => Assert.Equal(seconds, RtoModel.Seconds(time), 6);

    [Fact]
    public void A_time_that_is_not_one_names_itself()
    {
        var error = Assert.Throws<FormatException>(() => RtoModel.Seconds("soon"));

        Assert.Contains("'soon'", error.Message, StringComparison.Ordinal);
    }
}

using Pigsty.Appliance.BootTest.Ha;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>RTO and lost commits from a recorded commit log around the kill.</summary>
public sealed class FailoverFiguresTests
{
    private static readonly DateTime Kill = new(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

    private static AcknowledgedCommit At(long id, double seconds) => new(id, Kill.AddSeconds(seconds));

    [Fact]
    public void Rto_runs_from_the_last_commit_before_the_kill_to_the_first_after_it()
    {
        var log = new[] { At(1, -2.0), At(2, -1.5), At(3, -0.25), At(9, 17.5), At(10, 17.75) };

        var figures = FailoverFigures.Of(log, Kill, new HashSet<long> { 1, 2, 3, 9, 10 });

        Assert.Equal(17.75, figures.RtoSeconds);
        Assert.Equal(3, figures.BeforeKill);
        Assert.Equal(2, figures.AfterKill);
        Assert.Empty(figures.Lost);
    }

    [Fact]
    public void Acknowledged_commits_the_new_primary_lacks_are_lost_and_unacknowledged_ids_do_not_count()
    {
        // Ids 4-8 were attempts that failed: never acknowledged, so their absence (or presence) is no loss.
        var log = new[] { At(1, -3), At(2, -2), At(3, -1), At(9, 20) };

        var figures = FailoverFigures.Of(log, Kill, new HashSet<long> { 1, 5, 9 });

        Assert.Equal([2L, 3L], figures.Lost);
        Assert.Contains("2 missing on the new primary (ids 2, 3)", figures.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_commit_after_the_kill_there_is_no_rto()
    {
        var figures = FailoverFigures.Of([At(1, -1), At(2, -0.5)], Kill, new HashSet<long> { 1, 2 });

        Assert.Null(figures.RtoSeconds);
        Assert.Contains("RTO unknown", figures.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_commit_acknowledged_at_the_instant_of_the_kill_counts_as_before_it()
    {
        var figures = FailoverFigures.Of([At(1, 0), At(2, 4)], Kill, new HashSet<long> { 1, 2 });

        Assert.Equal(1, figures.BeforeKill);
        Assert.Equal(4, figures.RtoSeconds);
    }
}

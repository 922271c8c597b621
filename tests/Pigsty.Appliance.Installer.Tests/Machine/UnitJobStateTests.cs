using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Tests.Machine;

public sealed class UnitJobStateTests
{
    [Theory]
    [InlineData("Job=12\nActiveState=activating\n", true)]
    [InlineData("Job=\nActiveState=active\n", false)]
    [InlineData("ActiveState=active\n", false)]
    public void A_job_id_means_the_job_is_still_queued_or_running(string output, bool pending) =>
        Assert.Equal(pending, UnitJobState.Parse(output).Pending);

    [Theory]
    [InlineData("start", "active", "running", "success", "simple", true)]
    [InlineData("start", "active", "waiting", "success", "", true)]
    [InlineData("reload", "active", "running", "success", "notify", true)]
    [InlineData("start", "inactive", "dead", "success", "oneshot", true)]
    [InlineData("start", "inactive", "dead", "success", "simple", false)]
    [InlineData("start", "failed", "failed", "exit-code", "simple", false)]
    [InlineData("restart", "activating", "auto-restart", "exit-code", "simple", false)]
    [InlineData("stop", "inactive", "dead", "success", "simple", true)]
    [InlineData("stop", "failed", "failed", "signal", "simple", true)]
    [InlineData("stop", "active", "running", "success", "simple", false)]
    public void A_finished_job_is_judged_by_what_its_verb_asked_for(string verb, string active, string sub, string result, string type, bool ok)
    {
        var state = UnitJobState.Parse($"Type={type}\nResult={result}\nActiveState={active}\nSubState={sub}\n");

        Assert.Equal(ok, state.Problem(verb) is null);
    }

    [Fact]
    public void A_problem_names_the_state_the_job_left()
    {
        var state = UnitJobState.Parse("ActiveState=failed\nSubState=failed\nResult=timeout\nType=notify\n");

        Assert.Equal("the unit is failed (failed, result timeout) after its start job ended", state.Problem("start"));
    }
}

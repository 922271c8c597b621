using Pigsty.Appliance.BootTest.Ha;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>patronictl list -f json as Patroni 3.0 prints it (the leader has no lag key; an unknown lag is the string "unknown").</summary>
public sealed class PatroniListTests
{
    private const string Healthy = """
        [{"Cluster": "pg-meta", "Member": "pg-meta-1", "Host": "10.10.10.11", "Role": "Leader", "State": "running", "TL": 1}, {"Cluster": "pg-meta", "Member": "pg-meta-2", "Host": "10.10.10.12", "Role": "Replica", "State": "running", "TL": 1, "Lag in MB": 0}, {"Cluster": "pg-meta", "Member": "pg-meta-3", "Host": "10.10.10.13", "Role": "Sync Standby", "State": "streaming", "TL": 1, "Lag in MB": 0}]
        """;

    [Fact]
    public void One_running_leader_and_two_replicas_with_lag_0_pass()
    {
        var check = PatroniList.Judge("list", true, Healthy, 3);

        Assert.True(check.Passed, check.Detail);
        Assert.Contains("pg-meta-1 10.10.10.11 Leader running TL 1 lag -", check.Detail, StringComparison.Ordinal);
        Assert.Equal("10.10.10.11", PatroniList.Parse(Healthy)!.Single(m => m.IsLeader).Host);
    }

    [Theory]
    [InlineData("\"Lag in MB\": 0}]", "\"Lag in MB\": 3}]", "pg-meta-3 is Sync Standby streaming with lag 3")]
    [InlineData("\"Lag in MB\": 0}]", "\"Lag in MB\": \"unknown\"}]", "with lag unknown")]
    [InlineData("\"State\": \"streaming\"", "\"State\": \"starting\"", "pg-meta-3 is Sync Standby starting")]
    [InlineData("\"Role\": \"Replica\"", "\"Role\": \"Leader\"", "2 leader(s) running, expected 1")]
    public void Lag_state_and_role_problems_fail_and_say_which_member(string from, string to, string expected)
    {
        var check = PatroniList.Judge("list", true, Healthy.Replace(from, to, StringComparison.Ordinal), 3);

        Assert.False(check.Passed);
        Assert.Contains(expected, check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_short_fails_and_so_does_output_that_is_not_json()
    {
        var two = Healthy[..Healthy.LastIndexOf(", {", StringComparison.Ordinal)] + "]";

        Assert.Contains("2 member(s), expected 3", PatroniList.Judge("list", true, two, 3).Detail, StringComparison.Ordinal);
        Assert.True(PatroniList.Judge("list", true, two, 2).Passed);
        Assert.False(PatroniList.Judge("list", false, "Error: Can't get Patroni API", 3).Passed);
        Assert.Null(PatroniList.Parse("+ Cluster: pg-meta ---+"));
    }
}

using System.Net;
using Pigsty.Appliance.BootTest.Ha;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

public sealed class ScrapeCoverageTests
{
    private static readonly IReadOnlyList<IPAddress> Nodes = [IPAddress.Parse("10.10.10.11"), IPAddress.Parse("10.10.10.12")];

    private static string Up(params (string Job, string Ip, string Value)[] series) =>
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + string.Join(',', series.Select(s => $"{{\"metric\":{{\"__name__\":\"up\",\"job\":\"{s.Job}\",\"ip\":\"{s.Ip}\",\"instance\":\"{s.Ip}:1\"}},\"value\":[1764600000,\"{s.Value}\"]}}"))
        + "]}}";

    private static (string, string, string)[] Every(string value = "1") =>
        [.. Nodes.SelectMany(n => ScrapeCoverage.Jobs.Select(j => (j, n.ToString(), value)))];

    [Fact]
    public void Every_job_up_on_every_node_passes()
    {
        var check = ScrapeCoverage.Judge(true, Up([.. Every(), ("infra", "10.10.10.11", "1")]), Nodes);

        Assert.True(check.Passed, check.Detail);
        Assert.Equal("11 series, 11 up", check.Detail);
    }

    [Fact]
    public void A_node_without_a_target_or_with_one_down_fails_by_name()
    {
        var series = Every().Where(s => s != ("patroni", "10.10.10.12", "1")).Select(s => s == ("node", "10.10.10.11", "1") ? ("node", "10.10.10.11", "0") : s).ToArray();

        var check = ScrapeCoverage.Judge(true, Up(series), Nodes);

        Assert.False(check.Passed);
        Assert.Contains("no target: patroni@10.10.10.12", check.Detail, StringComparison.Ordinal);
        Assert.Contains("down: node@10.10.10.11", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_curl_fails_with_its_output() =>
        Assert.Contains("curl failed: curl: (7) Failed to connect", ScrapeCoverage.Judge(false, "curl: (7) Failed to connect", Nodes).Detail, StringComparison.Ordinal);
}

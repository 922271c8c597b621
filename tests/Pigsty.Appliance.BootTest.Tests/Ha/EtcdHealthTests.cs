using System.Net;
using Pigsty.Appliance.BootTest.Ha;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>etcdctl endpoint health --cluster -w json, as etcdctl 3.4 prints it.</summary>
public sealed class EtcdHealthTests
{
    private static readonly IReadOnlyList<IPAddress> Nodes = [IPAddress.Parse("10.10.10.11"), IPAddress.Parse("10.10.10.12"), IPAddress.Parse("10.10.10.13")];

    private static string Health(params (string Ip, bool Healthy)[] endpoints) =>
        "[" + string.Join(",", endpoints.Select(e => $"{{\"endpoint\":\"https://{e.Ip}:2379\",\"health\":{(e.Healthy ? "true" : "false")},\"took\":\"12.3ms\"}}")) + "]\n";

    [Fact]
    public void Three_healthy_members_pass()
    {
        var check = EtcdHealth.Judge(true, Health(("10.10.10.12", true), ("10.10.10.11", true), ("10.10.10.13", true)), Nodes);

        Assert.True(check.Passed, check.Detail);
        Assert.StartsWith("3 of 3 members healthy", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unhealthy_or_missing_member_fails_and_is_named()
    {
        var sick = EtcdHealth.Judge(false, Health(("10.10.10.11", true), ("10.10.10.12", false), ("10.10.10.13", true)), Nodes);
        var two = EtcdHealth.Judge(true, Health(("10.10.10.11", true), ("10.10.10.12", true)), Nodes);

        Assert.False(sick.Passed);
        Assert.Contains("not healthy: 10.10.10.12", sick.Detail, StringComparison.Ordinal);
        Assert.False(two.Passed);
        Assert.Contains("not healthy: 10.10.10.13", two.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_that_is_not_a_health_list_fails_with_what_etcdctl_said()
    {
        var check = EtcdHealth.Judge(false, "Error: context deadline exceeded", Nodes);

        Assert.False(check.Passed);
        Assert.Contains("context deadline exceeded", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_uses_the_installers_certificate_paths_and_asks_the_whole_cluster()
    {
        var command = EtcdHealth.Command(Nodes[0]);

        Assert.Contains("--endpoints=https://10.10.10.11:2379 --cacert=/etc/etcd/ca.crt --cert=/etc/etcd/server.crt --key=/etc/etcd/server.key", command, StringComparison.Ordinal);
        Assert.EndsWith("endpoint health --cluster -w json", command, StringComparison.Ordinal);
    }
}

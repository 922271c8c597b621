using System.Globalization;
using System.Net;
using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>etcdctl endpoint status --cluster -w json, as etcdctl 3.4 prints it.</summary>
public sealed class EtcdHealthTests
{
    private static readonly IReadOnlyList<IPAddress> Nodes = [IPAddress.Parse("10.10.10.11"), IPAddress.Parse("10.10.10.12"), IPAddress.Parse("10.10.10.13")];

    private static string Status(ulong leader, params (string Ip, ulong Member, ulong Cluster)[] members) =>
        "[" + string.Join(",", members.Select(m =>
            $"{{\"Endpoint\":\"https://{m.Ip}:2379\",\"Status\":{{\"header\":{{\"cluster_id\":{m.Cluster},\"member_id\":{m.Member},\"revision\":42,\"raft_term\":2}},"
            + $"\"version\":\"3.4.23\",\"dbSize\":20480,\"leader\":{leader},\"raftIndex\":80,\"raftTerm\":2,\"raftAppliedIndex\":80,\"dbSizeInUse\":16384}}}}")) + "]\n";

    private static readonly (string, ulong, ulong)[] Three =
        [("10.10.10.11", 17106384329129373010UL, 9), ("10.10.10.12", 2, 9), ("10.10.10.13", 3, 9)];

    [Fact]
    public void Three_members_of_one_cluster_following_one_leader_pass()
    {
        var check = EtcdHealth.Judge(true, Status(17106384329129373010UL, Three), Nodes);

        Assert.True(check.Passed, check.Detail);
        Assert.Contains("3 member(s) answered", check.Detail, StringComparison.Ordinal);
        Assert.Contains("all follow the leader at https://10.10.10.11:2379", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_that_does_not_answer_fails_and_is_named()
    {
        // etcdctl prints the members that answered and exits non-zero for the one that did not.
        var check = EtcdHealth.Judge(false, "{\"level\":\"warn\",\"msg\":\"retrying\"}\n" + Status(2, Three[..2]) + "Failed to get the status of endpoint https://10.10.10.13:2379", Nodes);

        Assert.False(check.Passed);
        Assert.Contains("did not answer: 10.10.10.13", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_single_member_clusters_or_no_leader_fail()
    {
        var apart = EtcdHealth.Judge(true, Status(2, ("10.10.10.11", 1, 7), ("10.10.10.12", 2, 8), ("10.10.10.13", 3, 9)), Nodes);
        var leaderless = EtcdHealth.Judge(true, Status(0, Three), Nodes);

        Assert.False(apart.Passed);
        Assert.Contains("3 cluster id(s)", apart.Detail, StringComparison.Ordinal);
        Assert.False(leaderless.Passed);
        Assert.Contains("leaders named: 0", leaderless.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_that_is_not_a_status_list_fails_with_what_etcdctl_said()
    {
        var check = EtcdHealth.Judge(false, "Error: context deadline exceeded", Nodes);

        Assert.False(check.Passed);
        Assert.Contains("context deadline exceeded", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_leader_is_the_endpoint_every_member_follows_or_none()
    {
        Assert.Equal("https://10.10.10.12:2379", EtcdHealth.Leader(Status(2, Three)));
        Assert.Null(EtcdHealth.Leader(Status(0, Three)));
        Assert.Null(EtcdHealth.Leader("Error: context deadline exceeded"));
    }

    [Fact]
    public void The_command_trusts_the_site_ca_and_asks_the_whole_cluster_without_a_login()
    {
        var command = EtcdHealth.Command(Nodes[0]);

        Assert.Equal("sudo etcdctl --endpoints=https://10.10.10.11:2379 --cacert=/etc/etcd/ca.crt endpoint status --cluster -w json", command);
    }

    [Fact]
    public async Task A_real_etcd_members_status_reads_as_healthy()
    {
        using var temp = new TempDirectory();
        using var daemons = new Daemons();
        var client = FreePort.Next();
        var peer = FreePort.Next();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{client}");
        daemons.Start("etcd", "--name", "one", "--data-dir", temp.File("data"), "--listen-client-urls", url, "--advertise-client-urls", url,
            "--listen-peer-urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{peer}"),
            "--initial-advertise-peer-urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{peer}"),
            "--initial-cluster", string.Create(CultureInfo.InvariantCulture, $"one=http://127.0.0.1:{peer}"));
        ProcessResult? status = null;
        for (var attempt = 0; attempt < 50 && status is not { Succeeded: true }; attempt++)
        {
            await Task.Delay(200);
            daemons.ThrowIfDied();
            status = await ProcessRunner.Silent.RunAsync(RealTool.Spec("etcdctl", "--endpoints", url, "endpoint", "status", "--cluster", "-w", "json")
                with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);
        }

        var check = EtcdHealth.Judge(status!.Succeeded, status.StandardOutput + status.StandardError, [IPAddress.Loopback]);

        Assert.True(check.Passed, check.Detail);
    }
}

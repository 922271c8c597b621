using System.Net;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Network;

/// <summary>The commands that build and remove the test network, and what the harness reads back from it (no namespace is made here).</summary>
public sealed class TestNetworkTests
{
    [Fact]
    public void Setup_builds_the_namespace_a_bridge_with_the_test_address_and_one_tap_per_vm_on_it()
    {
        var lines = TestNetwork.SetupCommands("pigsty-bt-42-beef", "10.10.10.1/24", 2).Select(Line).ToList();

        Assert.Equal(
        [
            "ip netns add pigsty-bt-42-beef",
            "ip -n pigsty-bt-42-beef link set lo up",
            "ip -n pigsty-bt-42-beef link add br0 type bridge stp_state 0 forward_delay 0",
            "ip -n pigsty-bt-42-beef addr add 10.10.10.1/24 dev br0",
            "ip -n pigsty-bt-42-beef link set br0 up",
            "ip -n pigsty-bt-42-beef tuntap add dev tap0 mode tap",
            "ip -n pigsty-bt-42-beef link set tap0 master br0 up",
            "ip -n pigsty-bt-42-beef tuntap add dev tap1 mode tap",
            "ip -n pigsty-bt-42-beef link set tap1 master br0 up",
        ], lines);
        // Every address change names the namespace: nothing is ever set on the host's own interfaces.
        Assert.All(lines.Skip(1), l => Assert.StartsWith("ip -n pigsty-bt-42-beef ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Teardown_removes_taps_bridge_and_namespace()
    {
        Assert.Equal(
            ["ip -n ns link del tap0", "ip -n ns link del tap1", "ip -n ns link del br0", "ip netns del ns"],
            TestNetwork.TeardownCommands("ns", 2).Select(Line));
    }

    [Fact]
    public void Inside_runs_a_command_through_ip_netns_exec_and_keeps_its_environment_and_secrets()
    {
        var spec = ProcessSpec.Of("ssh", "dba@10.10.10.11", "true") with
        {
            Environment = new Dictionary<string, string?> { ["PGPASSWORD"] = "s3cret" },
            Secrets = ["s3cret"],
        };

        var inside = TestNetwork.Inside("ns", spec);

        Assert.Equal("ip netns exec ns ssh dba@10.10.10.11 true", Line(inside));
        Assert.Equal("s3cret", inside.Environment["PGPASSWORD"]);
        Assert.Equal(["s3cret"], inside.Secrets);
    }

    [Fact]
    public void Taps_carry_a_mac_made_from_the_guests_address()
    {
        var tap = TestNetwork.Tap(2, IPAddress.Parse("10.10.10.13"));

        Assert.Equal("tap2", tap.Interface);
        Assert.Equal("52:54:00:0a:0a:0d", tap.Mac);
    }

    [Fact]
    public void Names_are_unique_and_name_their_owner_so_stale_ones_are_found()
    {
        var name = TestNetwork.UniqueName();

        Assert.StartsWith($"pigsty-bt-{Environment.ProcessId}-", name, StringComparison.Ordinal);
        Assert.NotEqual(name, TestNetwork.UniqueName());
        var list = $"{name} (id: 3)\npigsty-bt-999999-ab12\nsomeone-else\npigsty-bt-1-zz\n";
        Assert.Equal(["pigsty-bt-999999-ab12"], TestNetwork.StaleNames(list, pid => pid == Environment.ProcessId));
    }

    [Fact]
    public void Learnt_macs_are_the_dynamic_unicast_entries_of_the_forwarding_table()
    {
        const string Fdb = """
            33:33:00:00:00:01 dev br0 self permanent
            01:00:5e:00:00:01 dev br0 self permanent
            52:54:00:0a:0a:0b dev tap0 master br0
            a6:1e:7f:20:11:3c dev tap0 vlan 1 master br0 permanent
            a6:1e:7f:20:11:3c dev tap0 master br0 permanent
            33:33:ff:0a:0a:0b dev tap0 self permanent
            52:54:00:0a:0a:0c dev tap1 master br0
            """;

        Assert.Equal(["52:54:00:0a:0a:0b", "52:54:00:0a:0a:0c"], TestNetwork.LearnedMacs(Fdb));
    }

    [Fact]
    public async Task A_setup_that_fails_half_way_kills_what_runs_inside_and_removes_what_it_built()
    {
        var processes = new ScriptedProcesses();
        processes.On(s => s.Arguments.Contains("tuntap"), _ => ScriptedProcesses.Fail(2, "ioctl(TUNSETIFF): Device or resource busy"));
        processes.On(s => s.Arguments is ["netns", "pids", _], _ => ScriptedProcesses.Ok());

        await Assert.ThrowsAsync<ToolException>(() => TestNetwork.CreateAsync(processes, "10.10.10.1/24", 1, CancellationToken.None));

        var lines = processes.Lines.ToList();
        var name = lines.Single(l => l.StartsWith("ip netns add ", StringComparison.Ordinal))["ip netns add ".Length..];
        Assert.Contains($"ip netns pids {name}", lines);
        Assert.Equal($"ip netns del {name}", lines[^1]);
        Assert.True(lines.IndexOf($"ip -n {name} link del tap0") > lines.IndexOf($"ip -n {name} tuntap add dev tap0 mode tap"));
    }

    private static string Line(ProcessSpec spec) => string.Join(' ', new[] { spec.FileName }.Concat(spec.Arguments));
}

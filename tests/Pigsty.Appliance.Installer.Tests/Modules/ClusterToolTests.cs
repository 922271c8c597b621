using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>The three-node site's rendered files judged by the programs that read them: patroni, haproxy, visudo, python3 and keepalived.</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class ClusterToolTests : IDisposable
{
    private const string Sample = "three-node-vip.yml";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_vip_the_callback_cannot_add_fails_the_callback_with_why()
    {
        var s = PgsqlFixture.Settings(Sample, "10.10.10.12");
        var script = _temp.Write("pg-vip", PgVipRenderer.Script(s, s.Vip!, "v9"));

        var result = await RealTool.RunAsync("unshare", "-n", RealTool.Require("/usr/bin/python3"), "-S", script, "on_role_change", "master", "pg-test");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pg-vip: on_role_change as master: cannot add 10.10.10.3/24 on v9:", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.10.10.11")]
    [InlineData("10.10.10.13")]
    public async Task Patroni_validates_the_synchronous_cluster_with_vip_callbacks(string address)
    {
        var path = _temp.Write("patroni.yml", PatroniRenderer.Render(PgsqlFixture.Settings(Sample, address), PgsqlFixture.Secrets));

        await RealTool.CheckAsync("patroni", "--validate-config", path);
    }

    [Fact]
    public async Task Haproxy_accepts_the_three_node_services()
    {
        var defaults = _temp.Write("haproxy.cfg", "global\n    maxconn 1000\ndefaults\n    mode tcp\n    timeout connect 3s\n    timeout client 1h\n    timeout server 1h\n");
        var services = _temp.Write("pg-test.cfg", HaproxyRenderer.Render(PgsqlFixture.Settings(Sample, "10.10.10.12")));

        await RealTool.CheckAsync("haproxy", "-c", "-f", defaults, "-f", services);
    }

    [Fact]
    public async Task Visudo_accepts_the_vip_rule()
    {
        var path = _temp.Write("pg-vip", PgVipRenderer.Sudoers("postgres"));

        await RealTool.CheckAsync("visudo", "--check", "--quiet", "--file", path);
    }

    /// <summary>
    /// The callback in a network namespace of its own (a veth pair holding the node's address): leading adds the VIP and announces it,
    /// a demotion and a stop remove it, and running twice changes nothing.
    /// </summary>
    [Fact]
    public async Task The_vip_callback_holds_the_address_only_while_leading()
    {
        var s = PgsqlFixture.Settings(Sample, "10.10.10.12");
        var script = _temp.Write("pg-vip", PgVipRenderer.Script(s, s.Vip!, "v0"));
        // The interpreter the script's shebang names on the node (not whatever python3 a PATH finds first).
        var python = RealTool.Require("/usr/bin/python3");
        var run = $"{python} -S {script}";
        var steps = string.Join(" && ",
            "ip link add v0 type veth peer name v1", "ip addr add 10.10.10.12/24 dev v0", "ip link set v0 up", "ip link set v1 up",
            $"{run} on_start replica pg-test", "echo A; ip -o -4 addr show v0",
            $"{run} on_role_change master pg-test", $"{run} on_reload master pg-test", "echo B; ip -o -4 addr show v0",
            $"{run} on_role_change replica pg-test", "echo C; ip -o -4 addr show v0",
            $"{run} on_start primary pg-test", $"{run} on_stop primary pg-test", "echo D; ip -o -4 addr show v0");

        var result = await RealTool.CheckAsync("unshare", "-n", "sh", "-c", steps);

        var parts = result.StandardOutput.Split(["A\n", "B\n", "C\n", "D\n"], StringSplitOptions.None);
        Assert.DoesNotContain("inet 10.10.10.3/24", parts[1], StringComparison.Ordinal);
        Assert.Single(parts[2].Split('\n'), l => l.Contains("inet 10.10.10.3/24", StringComparison.Ordinal));
        Assert.DoesNotContain("inet 10.10.10.3/24", parts[3], StringComparison.Ordinal);
        Assert.DoesNotContain("inet 10.10.10.3/24", parts[4], StringComparison.Ordinal);
        Assert.Contains("pg-vip: on_role_change as master: 10.10.10.3/24 added on v0 (pg-test)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pg-vip: on_stop as primary: 10.10.10.3/24 removed from v0 (pg-test)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.10.10.11")]
    [InlineData("10.10.10.12")]
    public async Task Keepalived_accepts_the_node_vip_config(string address)
    {
        using var root = new TempDirectory();
        var vip = NodeVip.From(PgsqlFixture.Node(root, Sample, address))!;
        var path = _temp.Write("keepalived.conf", KeepalivedConfig.Render(vip, "v0"));

        // keepalived checks that the interface exists: a veth pair in a network namespace of the test's own.
        var result = await RealTool.RunAsync("unshare", "-n", "sh", "-c",
            $"ip link add v0 type veth peer name v1 && {RealTool.Require("keepalived")} -t -f {path}");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }
}

using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>NODE's rendered files checked by the programs that read them (installed on the build host; nothing is started).</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class NodeToolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private NodeSettings Settings(string? address = null) =>
        NodeSettings.From(TestNode.Create(_temp.File("root"), address is null ? TestNode.SingleNode : TestNode.TwoNodes, address: address));

    [Fact]
    public async Task Haproxy_accepts_the_config_with_a_service_file_in_conf_d_and_ignores_other_files()
    {
        var config = _temp.Write("haproxy.cfg", HaproxyConfig.Render(Settings(), "Hx7rK2mPq9"));
        _temp.Write("conf.d/README", "this is not haproxy syntax\n");
        _temp.Write("conf.d/pg-meta.cfg", "listen pg-meta-primary\n    bind *:5433\n    server pg-meta-1 10.10.10.10:6432 check port 8008\n");

        var result = await RealTool.CheckAsync("haproxy", "-c", "-f", config, "-f", _temp.File("conf.d"));

        Assert.Contains("Configuration file is valid", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nft_accepts_every_firewall_ruleset_in_a_private_network_namespace()
    {
        var ipv6 = TestNode.TwoNodes.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_firewall_intranet: [ 192.168.0.0/16, 'fd00::/8' ]", StringComparison.Ordinal);
        var off = TestNode.SingleNode.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    node_firewall_mode: 'off'", StringComparison.Ordinal);
        foreach (var (name, inventory, address) in new[] { ("zone", TestNode.SingleNode, (string?)null), ("ipv6", ipv6, "10.10.10.11"), ("off", off, null) })
        {
            var rules = _temp.Write($"{name}.nft", NftablesConfig.Render(Firewall(inventory, address)));

            // unshare -rn: a user and network namespace of our own, where nft may load rules without touching this host's.
            var loaded = await RealTool.CheckAsync("unshare", "-rn", RealTool.Require("nft"), "-f", rules);

            Assert.Equal("", loaded.StandardError);
        }
    }

    [Fact]
    public async Task The_firewall_lets_the_site_reach_the_service_ports_and_anyone_the_public_ones_and_drops_the_rest()
    {
        // Two network namespaces of this test's own, joined by a veth pair: the "node" has the rules, the "peer" probes it
        // from a site address (10.x) and from an outside one (203.0.113.x, a documentation network). A refused connection
        // reached the node's stack (nothing listens): allowed; a timeout means the firewall dropped it.
        var zone = _temp.Write("zone.nft", NftablesConfig.Render(Firewall(TestNode.SingleNode, null)));
        var off = _temp.Write("off.nft", NftablesConfig.Render(Firewall(TestNode.SingleNode.Replace("admin_ip: 10.10.10.10",
            "admin_ip: 10.10.10.10\n    node_firewall_mode: 'off'", StringComparison.Ordinal), null)));
        foreach (var tool in new[] { "bash", "ip", "nsenter", "nft", "timeout" })
        {
            RealTool.Require(tool);
        }

        var script = $$"""
            set -e
            unshare -n sleep 60 & peer=$!
            trap 'kill $peer' EXIT
            sleep 0.3
            ip link add node0 type veth peer name peer0
            ip link set peer0 netns $peer
            ip addr add 10.10.10.10/24 dev node0; ip addr add 203.0.113.10/24 dev node0; ip link set node0 up; ip link set lo up
            nsenter -t $peer -n sh -c 'ip addr add 10.10.10.20/24 dev peer0; ip addr add 203.0.113.20/24 dev peer0; ip link set peer0 up'
            probe() {
              if nsenter -t $peer -n timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; then echo "$1:$2 open"
              else rc=$?; if [ $rc = 124 ]; then echo "$1:$2 dropped"; else echo "$1:$2 allowed"; fi; fi
            }
            nft -f {{zone}}
            for target in 10.10.10.10:5432 10.10.10.10:9100 10.10.10.10:8428 10.10.10.10:9115 203.0.113.10:5432 203.0.113.10:22 203.0.113.10:443; do
              probe ${target%:*} ${target#*:}
            done
            nft -f {{off}}
            probe 203.0.113.10 5432
            """;
        var result = await RealTool.CheckAsync("unshare", "-rn", "bash", "-c", script);

        Assert.Equal(
        [
            "10.10.10.10:5432 allowed", "10.10.10.10:9100 allowed", "10.10.10.10:8428 dropped", "10.10.10.10:9115 dropped",
            "203.0.113.10:5432 dropped", "203.0.113.10:22 allowed", "203.0.113.10:443 allowed",
            "203.0.113.10:5432 allowed",
        ], result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private FirewallSettings Firewall(string inventory, string? address) =>
        FirewallSettings.From(TestNode.Create(_temp.File("root"), inventory, address: address), InstallModules.Descriptors);

    [Fact]
    public async Task Chronyd_parses_the_client_config_with_the_infra_server_role_in_its_confdir()
    {
        var client = ChronyClientConfig.Render(Settings("10.10.10.11").NtpSources)
            .Replace($"confdir {ChronyClientConfig.ConfDir}", $"confdir {_temp.File("conf.d")}", StringComparison.Ordinal);
        var path = _temp.Write("chrony.conf", client);
        _temp.Write("conf.d/pigsty-server.conf", ChronyServerConfig.Render(["10.0.0.0/8"]));

        var result = await RealTool.CheckAsync("chronyd", "-p", "-f", path);

        Assert.Contains("server 10.10.10.10 iburst\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("local stratum 10\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_accepts_the_units() =>
        await UnitCheck.VerifyAsync(_temp, NodeUnits.Chrony(), NodeUnits.Haproxy(), NodeUnits.NodeExporter(System.Net.IPAddress.Loopback, 9100));

    [Fact]
    public async Task Apt_reads_the_repo_line_for_a_file_and_an_http_repository()
    {
        const string packages = "Package: pigsty-probe\nVersion: 1.0\nArchitecture: all\nFilename: ./pigsty-probe_1.0_all.deb\nSize: 1\nDescription: probe\n";
        _temp.Write("repo/Packages", packages);
        using var server = new LoopbackHttpServer();
        server.MapBytes("/pigsty/Packages", System.Text.Encoding.UTF8.GetBytes(packages));

        foreach (var (name, uri) in new[] { ("file", $"file:{_temp.File("repo")}"), ("http", $"{server.BaseUri}pigsty") })
        {
            var list = _temp.Write($"{name}/pigsty.list", AptSourceFile.Render(uri, null));
            var state = _temp.File(name);
            Directory.CreateDirectory(Path.Combine(state, "lists", "partial"));
            Directory.CreateDirectory(Path.Combine(state, "cache", "archives", "partial"));
            string[] options =
            [
                "-o", $"Dir::Etc::SourceList={list}", "-o", "Dir::Etc::SourceParts=/nonexistent",
                "-o", $"Dir::State::Lists={state}/lists", "-o", $"Dir::Cache={state}/cache", "-o", "Debug::NoLocking=1",
            ];

            await RealTool.CheckAsync("apt-get", ["update", "--error-on=any", .. options]);
            var policy = await RealTool.CheckAsync("apt-cache", ["policy", "pigsty-probe", .. options]);

            Assert.Contains("Candidate: 1.0", policy.StandardOutput, StringComparison.Ordinal);
        }
    }
}

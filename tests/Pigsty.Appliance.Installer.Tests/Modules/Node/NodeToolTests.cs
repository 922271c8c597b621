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
    public async Task Haproxy_run_as_root_reads_its_0640_root_haproxy_config_that_other_users_cannot_read()
    {
        var config = _temp.Write("haproxy.cfg", HaproxyConfig.Render(Settings(), "Hx7rK2mPq9"));
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(config, HaproxyConfig.Spec.Mode);
        await RealTool.CheckAsync("chown", $"{HaproxyConfig.Spec.Owner}:{HaproxyConfig.Spec.Group}", config);

        var asRoot = await RealTool.RunAsync("haproxy", "-c", "-f", config);
        var asOther = await RealTool.RunAsync("runuser", "-u", "nobody", "--", "cat", config);

        Assert.True(asRoot.Succeeded, asRoot.StandardError);
        Assert.Contains("Permission denied", asOther.StandardError, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, HaproxyConfig.Spec.Mode);
        Assert.Equal(("root", "haproxy"), (HaproxyConfig.Spec.Owner, HaproxyConfig.Spec.Group));

        // Our unit starts haproxy as root (no User=): the master reads the file, then drops to haproxy (global user/group).
        Assert.DoesNotContain("\nUser=", NodeUnits.Haproxy().Render(), StringComparison.Ordinal);
        Assert.Contains("    user        haproxy\n", File.ReadAllText(config), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sshd_accepts_the_drop_in_and_its_settings_win_over_debians_main_config()
    {
        var keyed = NodeSettings.From(TestNode.Create(_temp.File("root"), TestNode.SingleNode.Replace("admin_ip: 10.10.10.10",
            "admin_ip: 10.10.10.10\n    node_admin_pk_list: ['ssh-ed25519 AAAA k']", StringComparison.Ordinal)));
        var dropIn = _temp.Write("sshd_config.d/90-pigsty.conf", SshdConfig.Render(keyed.Admin));

        // Debian's own sshd_config, including our directory instead of /etc/ssh/sshd_config.d: the drop-in must win over it.
        var debian = await File.ReadAllTextAsync("/etc/ssh/sshd_config");
        Assert.Contains("Include /etc/ssh/sshd_config.d/*.conf", debian, StringComparison.Ordinal);
        var main = _temp.Write("sshd_config", debian.Replace("/etc/ssh/sshd_config.d/", _temp.File("sshd_config.d") + "/", StringComparison.Ordinal));
        await RealTool.CheckAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", _temp.File("host_key"));
        var sshd = RealTool.Require("sshd");

        // sshd -t needs its privilege separation directory: a private /run in a user and mount namespace, not this host's.
        var script = $"mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0755 /run/sshd && {sshd} -t -f {dropIn} -o HostKey={_temp.File("host_key")} "
            + $"&& {sshd} -T -f {main} -o HostKey={_temp.File("host_key")}";
        var result = await RealTool.CheckAsync("unshare", "-rm", "sh", "-c", script);

        var effective = result.StandardOutput.Split('\n');
        foreach (var setting in new[] { "permitrootlogin no", "passwordauthentication no", "kbdinteractiveauthentication no", "x11forwarding no",
                     "allowagentforwarding no", "allowtcpforwarding local", "maxauthtries 4" })
        {
            Assert.Contains(setting, effective);
        }
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
    public async Task Apt_reads_the_signed_repo_line_for_a_file_and_an_http_repository_and_refuses_a_tampered_one()
    {
        // A signed flat repo as the bundler writes one: Packages, a Release listing its hash, InRelease clear-signed by a
        // throwaway key whose public half is the keyring the rendered line names.
        const string packages = "Package: pigsty-probe\nVersion: 1.0\nArchitecture: all\nFilename: ./pigsty-probe_1.0_all.deb\nSize: 1\nDescription: probe\n";
        var keyring = await SignedRepoAsync(_temp.File("repo"), packages);
        var inRelease = await File.ReadAllBytesAsync(_temp.File("repo/InRelease"));
        using var server = new LoopbackHttpServer();
        server.MapBytes("/pigsty/Packages", System.Text.Encoding.UTF8.GetBytes(packages));
        server.MapBytes("/pigsty/InRelease", inRelease);
        using var tampered = new LoopbackHttpServer();
        tampered.MapBytes("/pigsty/Packages", System.Text.Encoding.UTF8.GetBytes(packages.Replace("1.0", "6.6", StringComparison.Ordinal)));
        tampered.MapBytes("/pigsty/InRelease", System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(inRelease).Replace("Label: probe", "Label: evil", StringComparison.Ordinal)));

        foreach (var (name, uri, good) in new[] { ("file", $"file:{_temp.File("repo")}", true), ("http", $"{server.BaseUri}pigsty", true), ("tampered", $"{tampered.BaseUri}pigsty", false) })
        {
            var line = AptSourceFile.Render(uri, keyring);
            Assert.DoesNotContain("trusted=yes", line, StringComparison.Ordinal);
            var list = _temp.Write($"{name}/pigsty.list", line);
            var state = _temp.File(name);
            Directory.CreateDirectory(Path.Combine(state, "lists", "partial"));
            Directory.CreateDirectory(Path.Combine(state, "cache", "archives", "partial"));
            string[] options =
            [
                "-o", $"Dir::Etc::SourceList={list}", "-o", "Dir::Etc::SourceParts=/nonexistent", "-o", "APT::Sandbox::User=root",
                "-o", $"Dir::State::Lists={state}/lists", "-o", $"Dir::Cache={state}/cache", "-o", "Debug::NoLocking=1",
            ];

            var update = await RealTool.RunAsync("apt-get", ["update", "--error-on=any", .. options]);
            var policy = await RealTool.CheckAsync("apt-cache", ["policy", "pigsty-probe", .. options]);

            Assert.True(update.ExitCode == 0 == good, $"{name}: apt-get update exited {update.ExitCode}\n{update.StandardOutput}{update.StandardError}");
            Assert.Equal(good, policy.StandardOutput.Contains("Candidate: 1.0", StringComparison.Ordinal));
            if (!good)
            {
                Assert.Contains("BADSIG", update.StandardOutput + update.StandardError, StringComparison.Ordinal);
                Assert.DoesNotContain("6.6", policy.StandardOutput, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Writes Packages, Release and InRelease into <paramref name="repo"/>; returns the public keyring's path.</summary>
    private async Task<string> SignedRepoAsync(string repo, string packages)
    {
        Directory.CreateDirectory(repo);
        var home = _temp.File("gnupg");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Path.Combine(repo, "Packages"), packages);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(packages)));
        await File.WriteAllTextAsync(Path.Combine(repo, "Release"),
            $"Origin: probe\nLabel: probe\nDate: Sat, 01 Jan 2000 00:00:00 UTC\nSHA256:\n {hash} {System.Text.Encoding.UTF8.GetByteCount(packages)} Packages\n");
        string[] gpg = ["--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", ""];
        try
        {
            await RealTool.CheckAsync("gpg", [.. gpg, "--quick-generate-key", "probe <probe@pigsty.invalid>", "ed25519", "sign", "never"]);
            await RealTool.CheckAsync("gpg", [.. gpg, "--clearsign", "--output", Path.Combine(repo, "InRelease"), Path.Combine(repo, "Release")]);
            await RealTool.CheckAsync("gpg", [.. gpg, "--export", "--output", Path.Combine(repo, "pigsty.gpg")]);
        }
        finally
        {
            await RealTool.RunAsync("gpgconf", "--homedir", home, "--kill", "all");
        }

        return Path.Combine(repo, "pigsty.gpg");
    }
}

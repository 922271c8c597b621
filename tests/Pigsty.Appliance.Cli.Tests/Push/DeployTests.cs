using Pigsty.Appliance.Cli.Commands;
using Pigsty.Appliance.Cli.Push;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Push;

/// <summary>
/// deploy against Debian's real sshd on loopback: each way a host cannot be used stops that host with a clear message, holds back
/// the hosts waiting for it, and changes nothing on it (the checks only read). The sshd runs on this machine, so no test here lets
/// a host pass every check: that would install onto the test host itself.
/// </summary>
public sealed class DeployTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_wrong_os_release_refuses_the_host_and_an_unreachable_one_is_named_so()
    {
        using var sshd = await Sshd.StartAsync();
        var inventory = Inventory(sshd.Port, FreePort.Next());
        var osRelease = _temp.Write("os-release", "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\n");

        var outcomes = await DeployAsync(sshd, inventory, trustNew: true, headroom: 0, osRelease, await BundleAsync("d12"));

        var admin = outcomes.Single(o => o.Name == "10.10.10.10");
        Assert.Equal(HostState.Refused, admin.State);
        Assert.Equal($"wrong OS release: {osRelease} says Ubuntu 24.04.1 LTS (ID=ubuntu, VERSION_ID=24.04, VERSION_CODENAME=none); the bundle is built for "
            + "Debian 12 (bookworm, os d12) only. Nothing was done on it", admin.Message);
        var primary = outcomes.Single(o => o.Name == "10.10.10.11");
        Assert.Equal(HostState.Refused, primary.State);
        Assert.StartsWith("unreachable at 127.0.0.1:", primary.Message, StringComparison.Ordinal);
        Assert.Equal(HostState.Refused, outcomes.Single(o => o.Name == "10.10.10.12").State);
        Assert.Equal(ExitCode.HostRefused, DeployCommand.ExitFor(outcomes));
        Assert.False(Directory.Exists(Deployer.Staging) && Directory.GetLastWriteTimeUtc(Deployer.Staging) > DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task A_host_with_too_little_free_disk_is_refused_with_the_figures()
    {
        using var sshd = await Sshd.StartAsync();
        var inventory = Inventory(sshd.Port, FreePort.Next());

        // The real /etc/os-release of this Debian 12 host passes; the real free space cannot hold a petabyte.
        var outcomes = await DeployAsync(sshd, inventory, trustNew: true, headroom: 1L << 50, "/etc/os-release", await BundleAsync("d12"));

        var admin = outcomes.Single(o => o.Name == "10.10.10.10");
        Assert.Equal(HostState.Refused, admin.State);
        Assert.Matches(@"^too little disk: [0-9.]+ GiB free on /\S*, deploy needs 1048576\.\d GiB \(bundle, installer and the packages it installs\)\. Nothing was done on it$",
            admin.Message);
    }

    [Fact]
    public async Task A_debian13_bundle_refuses_a_debian12_host_naming_both_releases()
    {
        using var sshd = await Sshd.StartAsync();
        var inventory = Inventory(sshd.Port, FreePort.Next());
        var osRelease = _temp.Write("os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n");

        var outcomes = await DeployAsync(sshd, inventory, trustNew: true, headroom: 0, osRelease, await BundleAsync("d13"));

        Assert.Equal($"wrong OS release: {osRelease} says Debian GNU/Linux 12 (bookworm) (ID=debian, VERSION_ID=12, VERSION_CODENAME=bookworm); the bundle is built "
            + "for Debian 13 (trixie, os d13) only. Nothing was done on it", outcomes.Single(o => o.Name == "10.10.10.10").Message);
    }

    [Fact]
    public async Task A_bundle_without_a_manifest_is_an_input_error_naming_it()
    {
        using var sshd = await Sshd.StartAsync();
        var bundle = _temp.File("unsealed.tgz");
        Directory.CreateDirectory(_temp.File("unsealed/pigsty"));
        await RealTool.CheckAsync("tar", "-czf", bundle, "-C", _temp.File("unsealed"), "pigsty");

        var error = await Assert.ThrowsAsync<InputException>(() => DeployAsync(sshd, Inventory(sshd.Port, FreePort.Next()), trustNew: true, headroom: 0, "/etc/os-release", bundle));

        Assert.Equal($"{bundle}: --bundle: no pigsty/manifest.json in it, so it is no sealed bundle", error.Message);
    }

    [Theory]
    [InlineData("ID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\n", "d13", null)]
    [InlineData("ID=debian\nVERSION_ID=\"12\"\n", "d12", null)]
    [InlineData("ID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=bookworm\n", "d13", "nothing known (ID=debian, VERSION_ID=13, VERSION_CODENAME=bookworm)")]
    [InlineData("PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nID=debian\nVERSION_ID=\"13\"\n", "d12",
        "Debian GNU/Linux 13 (trixie) (ID=debian, VERSION_ID=13, VERSION_CODENAME=none)")]
    public void The_release_must_be_the_bundle_s(string osRelease, string os, string? problem) =>
        Assert.Equal(problem, HostPreflight.ReleaseProblem(HostPreflight.ParseOsRelease(osRelease), TargetPlatform.ForOs(os, "test")));

    [Fact]
    public async Task The_command_refuses_an_unknown_host_key_without_the_trust_flag_and_says_so_in_the_summary()
    {
        using var sshd = await Sshd.StartAsync();
        var inventory = _temp.Write("pigsty.yml", InventoryText(sshd.Port, FreePort.Next()));
        var knownHosts = _temp.File("known_hosts");
        var installer = _temp.Write("pigsty-appliance", "not run: every host is refused before anything is uploaded");

        var run = await CliRun.Of("deploy", "--inventory", inventory, "--site", _temp.File("site"), "--limit", "10.10.10.10", "--installer", installer,
            "--ssh-key", sshd.ClientKey, "--ssh-user", Sshd.User, "--known-hosts", knownHosts, "--log-dir", _temp.File("logs"));

        Assert.True(run.ExitCode == (int)ExitCode.HostRefused, run.Out + run.Error);
        Assert.Contains("deploy: 1 hosts in this order: 10.10.10.10 (admin node, etcd member)", run.Out, StringComparison.Ordinal);
        Assert.Contains($"[10.10.10.10] refused: host key not known: [127.0.0.1]:{sshd.Port} presented ssh-ed25519 SHA256:", run.Out, StringComparison.Ordinal);
        Assert.Contains("deploy summary: 0 of 1 hosts installed", run.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(knownHosts));
    }

    [Fact]
    public async Task A_limit_that_names_no_host_is_a_usage_error_before_any_connection()
    {
        var inventory = _temp.Write("pigsty.yml", InventoryText(22, 22));
        var installer = _temp.Write("pigsty-appliance", "");
        var key = _temp.Write("id", "");

        var run = await CliRun.Of("deploy", "--inventory", inventory, "--site", _temp.File("site"), "--limit", "10.10.10.99", "--installer", installer,
            "--ssh-key", key, "--known-hosts", _temp.File("known_hosts"));

        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        Assert.Contains("--limit 10.10.10.99: not a host of", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("site")));
    }

    [Fact]
    public async Task A_site_made_with_a_static_prefix_keeps_it_in_every_node_yml_deploy_writes_the_new_host_included()
    {
        // The site's seeds were written for the first two hosts with static addressing; the replica is added to the inventory afterwards.
        var inventory = _temp.Write("pigsty.yml", InventoryText(FreePort.Next(), FreePort.Next()));
        var before = _temp.Write("before.yml", InventoryText(22, 22).Replace("        10.10.10.12: { pg_seq: 2, pg_role: replica, ansible_host: 127.0.0.1, ansible_port: 22 }\n", "",
            StringComparison.Ordinal));
        var site = await CliRun.Of("site", "--inventory", before, "--dir", _temp.File("site"), "--prefix", "24", "--gateway", "10.10.10.1", "--dns", "10.10.10.1");
        Assert.True(site.ExitCode == 0, site.Error);
        Assert.False(File.Exists(NodeYml("10.10.10.12")));

        var run = await DeployCliAsync(inventory, "--limit", "10.10.10.12");

        // Nothing listens on its port: the host is refused, but the site material was completed first, as for a real host.
        Assert.True(run.ExitCode == (int)ExitCode.HostRefused, run.Out + run.Error);
        Assert.Contains($"deploy: static addressing /24 via 10.10.10.1 in every node.yml (kept from {Path.Join(_temp.File("site"), "nodes")})", run.Out, StringComparison.Ordinal);
        foreach (var host in new[] { "10.10.10.10", "10.10.10.11", "10.10.10.12" })
        {
            Assert.Equal(new SiteNode(System.Net.IPAddress.Parse(host), 24, System.Net.IPAddress.Parse("10.10.10.1"), [System.Net.IPAddress.Parse("10.10.10.1")]).Render(),
                await File.ReadAllTextAsync(NodeYml(host)));
        }
    }

    [Fact]
    public async Task Deploy_takes_the_site_s_static_addressing_options_and_a_dhcp_site_stays_dhcp()
    {
        var inventory = _temp.Write("pigsty.yml", InventoryText(FreePort.Next(), FreePort.Next()));

        var dhcp = await DeployCliAsync(inventory, "--limit", "10.10.10.10");
        Assert.DoesNotContain("prefix:", await File.ReadAllTextAsync(NodeYml("10.10.10.10")), StringComparison.Ordinal);
        Assert.DoesNotContain("static addressing", dhcp.Out, StringComparison.Ordinal);

        var statics = await DeployCliAsync(inventory, "--limit", "10.10.10.10", "--prefix", "16");
        Assert.Contains("deploy: static addressing /16 in every node.yml (--prefix)", statics.Out, StringComparison.Ordinal);
        Assert.Contains("\nprefix: 16\n", await File.ReadAllTextAsync(NodeYml("10.10.10.11")), StringComparison.Ordinal);

        var wrong = await DeployCliAsync(inventory, "--gateway", "10.10.10.1");
        Assert.Equal((int)ExitCode.Usage, wrong.ExitCode);
        Assert.Contains("--gateway and --dns set static addressing, which needs --prefix", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_that_disagree_on_their_addressing_stop_deploy_naming_the_files()
    {
        var inventory = _temp.Write("pigsty.yml", InventoryText(FreePort.Next(), FreePort.Next()));
        Assert.Equal((int)ExitCode.HostRefused, (await DeployCliAsync(inventory, "--limit", "10.10.10.10", "--prefix", "24")).ExitCode);
        await File.WriteAllTextAsync(NodeYml("10.10.10.11"), "address: 10.10.10.11\n");

        var run = await DeployCliAsync(inventory, "--limit", "10.10.10.10");

        Assert.Equal((int)ExitCode.InvalidInput, run.ExitCode);
        Assert.Contains($"{NodeYml("10.10.10.11")}: DHCP, but {NodeYml("10.10.10.10")} says static /24: the site's nodes disagree", run.Error, StringComparison.Ordinal);
    }

    private string NodeYml(string host) => Path.Join(_temp.File("site"), "nodes", host, "node.yml");

    /// <summary>The deploy command on the test's site directory with a key and an installer that are never used (every host is refused).</summary>
    private async Task<CliRun> DeployCliAsync(string inventory, params string[] more)
    {
        var key = _temp.File("id_ed25519");
        if (!File.Exists(key))
        {
            await RealTool.CheckAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy-test", "-f", key);
        }

        return await CliRun.Of(["deploy", "--inventory", inventory, "--site", _temp.File("site"), "--installer", _temp.Write("pigsty-appliance", "not run"),
            "--ssh-key", key, "--known-hosts", _temp.File("known_hosts"), "--log-dir", _temp.File("logs"), "--connect-timeout", "5", .. more]);
    }

    private async Task<IReadOnlyList<HostOutcome>> DeployAsync(Sshd sshd, PigstyInventory inventory, bool trustNew, long headroom, string osRelease, string? bundle = null)
    {
        var site = await SiteDirectory.WriteAsync(inventory, new SiteOptions(_temp.File("site"), null, null, []), TimeProvider.System, CancellationToken.None);
        var ssh = new SshOptions(sshd.ClientKey, KnownHosts.Load(_temp.File("known_hosts")), trustNew, TimeSpan.FromSeconds(10));
        var installer = _temp.Write("pigsty-appliance", "not run");
        var options = new DeployOptions(inventory.Source, site, installer, bundle, ssh, _temp.File("logs"), headroom) { OsRelease = osRelease };
        using var console = new StringWriter();
        return await new Deployer(options, console).RunAsync(DeployOrder.Plan(inventory, [], Sshd.User), CancellationToken.None);
    }

    /// <summary>A bundle tarball holding only a sealed manifest that names <paramref name="os"/>: enough for the checks, which upload nothing.</summary>
    private async Task<string> BundleAsync(string os)
    {
        var bundle = _temp.File($"bundle-{os}.tgz");
        _temp.Write($"tree-{os}/pigsty/manifest.json", $$"""{ "format": "pigsty-appliance-bundle/1", "os": "{{os}}" }""");
        await RealTool.CheckAsync("tar", "-czf", bundle, "-C", _temp.File($"tree-{os}"), "pigsty");
        return bundle;
    }

    private PigstyInventory Inventory(int adminPort, int deadPort) =>
        InventoryLoader.Parse(InventoryText(adminPort, deadPort), _temp.Write("pigsty.yml", InventoryText(adminPort, deadPort)));

    /// <summary>The admin node (infra and etcd) behind the test's sshd; a primary nobody listens for, and its replica.</summary>
    private static string InventoryText(int adminPort, int deadPort) => $$"""
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1, ansible_host: 127.0.0.1, ansible_port: {{adminPort}} } } }
            etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            pg-test:
              hosts:
                10.10.10.11: { pg_seq: 1, pg_role: primary, ansible_host: 127.0.0.1, ansible_port: {{deadPort}} }
                10.10.10.12: { pg_seq: 2, pg_role: replica, ansible_host: 127.0.0.1, ansible_port: {{deadPort}} }
              vars: { pg_cluster: pg-test }
          vars: { admin_ip: 10.10.10.10 }
        """;
}
